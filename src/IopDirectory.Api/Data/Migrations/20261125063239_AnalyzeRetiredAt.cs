using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IopDirectory.Data.Migrations
{
    /// <inheritdoc />
    public partial class AnalyzeRetiredAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // retired_at was added to a loaded table (migration Editing): PostgreSQL keeps no statistics for a new column until
            // the next ANALYZE, which autovacuum does not run for a schema change, and meanwhile estimates `retired_at IS NULL`
            // at 0.5% of the rows. At 1M centres matchCaller's nearest-20,000 scan then became a parallel seq scan of the
            // whole table (1 s a statement). Analysing the one column takes a sample of 30,000 rows.
            migrationBuilder.Sql("ANALYZE centers (retired_at);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
