using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IopDirectory.Data.Migrations
{
    /// <inheritdoc />
    public partial class HotlineTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "callback_requests",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    postal_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    preferred_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    preferred_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payer_type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    carrier_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    center_id = table.Column<int>(type: "integer", nullable: true),
                    consent = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    claimed_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_callback_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_callback_requests_centers_center_id",
                        column: x => x.center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "routing_decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    call_route_id = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    call_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    destination_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    rule = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    destination_center_id = table.Column<int>(type: "integer", nullable: true),
                    partner_network_name = table.Column<string>(type: "text", nullable: true),
                    is_paid_placement = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_routing_decisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_routing_decisions_call_routes_call_route_id",
                        column: x => x.call_route_id,
                        principalTable: "call_routes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_callback_requests_center_id",
                table: "callback_requests",
                column: "center_id");

            migrationBuilder.CreateIndex(
                name: "ix_callback_requests_status_created_at",
                table: "callback_requests",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_routing_decisions_call_route_id",
                table: "routing_decisions",
                column: "call_route_id");

            migrationBuilder.CreateIndex(
                name: "ix_routing_decisions_number_recorded_at",
                table: "routing_decisions",
                columns: new[] { "number", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_routing_decisions_recorded_at",
                table: "routing_decisions",
                column: "recorded_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "callback_requests");

            migrationBuilder.DropTable(
                name: "routing_decisions");
        }
    }
}
