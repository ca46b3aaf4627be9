using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace I2VStudio.Workspace.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TakeJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TakeJobs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TakeId = table.Column<Guid>(type: "uuid", nullable: true),
                    Json = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TakeJobs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TakeJobs_TakeId",
                table: "TakeJobs",
                column: "TakeId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TakeJobs");
        }
    }
}
