using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IopDirectory.Data.Migrations
{
    /// <inheritdoc />
    public partial class DropRetiredAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_centers_retired_at",
                table: "centers");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_centers_retired_at",
                table: "centers",
                column: "retired_at");
        }
    }
}
