using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace I2VStudio.Workspace.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TakeLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "TakeJobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TrackedBy",
                table: "TakeJobs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_TakeJobs_LeaseUntil",
                table: "TakeJobs",
                column: "LeaseUntil");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TakeJobs_LeaseUntil",
                table: "TakeJobs");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "TakeJobs");

            migrationBuilder.DropColumn(
                name: "TrackedBy",
                table: "TakeJobs");
        }
    }
}
