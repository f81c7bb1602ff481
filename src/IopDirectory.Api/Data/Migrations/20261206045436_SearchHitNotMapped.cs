using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IopDirectory.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchHitNotMapped : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The search page's row type (SearchHit) is read by Search/PageRows now, not by EF: it leaves the model.
            // Its placeholder table was excluded from migrations and never created, so the database does not change.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
