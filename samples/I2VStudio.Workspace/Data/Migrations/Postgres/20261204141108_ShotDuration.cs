using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace I2VStudio.Workspace.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ShotDuration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "DurationSeconds",
                table: "Takes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "EnhancePrompt",
                table: "Takes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "DurationOverride",
                table: "Shots",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "EnhancePromptOverride",
                table: "Shots",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DefaultDurationSeconds",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 5.0); // projects made before this migration get the I2V tool's default length

            migrationBuilder.AddColumn<bool>(
                name: "DefaultEnhancePrompt",
                table: "Projects",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DurationSeconds",
                table: "Takes");

            migrationBuilder.DropColumn(
                name: "EnhancePrompt",
                table: "Takes");

            migrationBuilder.DropColumn(
                name: "DurationOverride",
                table: "Shots");

            migrationBuilder.DropColumn(
                name: "EnhancePromptOverride",
                table: "Shots");

            migrationBuilder.DropColumn(
                name: "DefaultDurationSeconds",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "DefaultEnhancePrompt",
                table: "Projects");
        }
    }
}
