using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IopDirectory.Data.Migrations
{
    /// <inheritdoc />
    public partial class Partners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "partner_id",
                table: "call_routes",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    origins = table.Column<List<string>>(type: "text[]", nullable: false),
                    default_state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    trusted_documents_only = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partners", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "partner_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    partner_id = table.Column<int>(type: "integer", nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_partner_keys_partners_partner_id",
                        column: x => x.partner_id,
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "partner_usage",
                columns: table => new
                {
                    partner_id = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    listings_shown = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_usage", x => new { x.partner_id, x.day });
                    table.ForeignKey(
                        name: "fk_partner_usage_partners_partner_id",
                        column: x => x.partner_id,
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_call_routes_partner_id",
                table: "call_routes",
                column: "partner_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_call_routes_partner_number_is_tracking",
                table: "call_routes",
                sql: "partner_id IS NULL OR (kind = 'TrackingNumber' AND center_id IS NOT NULL)");

            migrationBuilder.CreateIndex(
                name: "ix_partner_keys_hash",
                table: "partner_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_partner_keys_partner_id",
                table: "partner_keys",
                column: "partner_id");

            migrationBuilder.AddForeignKey(
                name: "fk_call_routes_partners_partner_id",
                table: "call_routes",
                column: "partner_id",
                principalTable: "partners",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_call_routes_partners_partner_id",
                table: "call_routes");

            migrationBuilder.DropTable(
                name: "partner_keys");

            migrationBuilder.DropTable(
                name: "partner_usage");

            migrationBuilder.DropTable(
                name: "partners");

            migrationBuilder.DropIndex(
                name: "ix_call_routes_partner_id",
                table: "call_routes");

            migrationBuilder.DropCheckConstraint(
                name: "ck_call_routes_partner_number_is_tracking",
                table: "call_routes");

            migrationBuilder.DropColumn(
                name: "partner_id",
                table: "call_routes");
        }
    }
}
