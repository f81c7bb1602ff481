using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace IopDirectory.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "centers",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    website = table.Column<string>(type: "text", nullable: true),
                    location = table.Column<Point>(type: "geography (point, 4326)", nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    levels_of_care = table.Column<string[]>(type: "text[]", nullable: false),
                    accepting_new_patients = table.Column<bool>(type: "boolean", nullable: false),
                    accreditations = table.Column<string[]>(type: "text[]", nullable: false),
                    state_license_number = table.Column<string>(type: "text", nullable: true),
                    languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    populations = table.Column<string[]>(type: "text[]", nullable: false),
                    conditions = table.Column<string[]>(type: "text[]", nullable: false),
                    service_area = table.Column<MultiPolygon>(type: "geography (multipolygon, 4326)", nullable: true),
                    payer_types = table.Column<string[]>(type: "text[]", nullable: false),
                    free_consultation = table.Column<bool>(type: "boolean", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: false),
                    last_verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    city = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    county = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    postal_code = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    street1 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    street2 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_centers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "services",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    label = table.Column<string>(type: "text", nullable: false),
                    category = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    samhsa_code = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_services", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "call_routes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    center_id = table.Column<int>(type: "integer", nullable: true),
                    number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    destination_kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    destination_center_id = table.Column<int>(type: "integer", nullable: true),
                    partner_network_name = table.Column<string>(type: "text", nullable: true),
                    destination_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    answered_all_hours = table.Column<bool>(type: "boolean", nullable: false),
                    answer_time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    after_hours_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    after_hours_label = table.Column<string>(type: "text", nullable: true),
                    is_paid_placement = table.Column<bool>(type: "boolean", nullable: false),
                    disclosure = table.Column<string>(type: "text", nullable: true),
                    callbacks_offered = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_routes", x => x.id);
                    table.CheckConstraint("ck_call_routes_listing_rings_its_centre", "center_id IS NULL OR kind = 'DirectoryHotline' OR (destination_kind = 'Facility' AND destination_center_id = center_id)");
                    table.ForeignKey(
                        name: "fk_call_routes_centers_center_id",
                        column: x => x.center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_call_routes_centers_destination_center_id",
                        column: x => x.destination_center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "insurance_plans",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    center_id = table.Column<int>(type: "integer", nullable: false),
                    carrier_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    plan_name = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_insurance_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_insurance_plans_centers_center_id",
                        column: x => x.center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "phones",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    center_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    extension = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_phones", x => x.id);
                    table.ForeignKey(
                        name: "fk_phones_centers_center_id",
                        column: x => x.center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "programs",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    center_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    min_hours_per_week = table.Column<decimal>(type: "numeric", nullable: false),
                    max_hours_per_week = table.Column<decimal>(type: "numeric", nullable: false),
                    min_days_per_week = table.Column<int>(type: "integer", nullable: false),
                    max_days_per_week = table.Column<int>(type: "integer", nullable: false),
                    min_duration_weeks = table.Column<int>(type: "integer", nullable: true),
                    max_duration_weeks = table.Column<int>(type: "integer", nullable: true),
                    steps_down = table.Column<bool>(type: "boolean", nullable: false),
                    telehealth = table.Column<bool>(type: "boolean", nullable: false),
                    in_person = table.Column<bool>(type: "boolean", nullable: false),
                    min_age = table.Column<int>(type: "integer", nullable: true),
                    max_age = table.Column<int>(type: "integer", nullable: true),
                    service_codes = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programs", x => x.id);
                    table.ForeignKey(
                        name: "fk_programs_centers_center_id",
                        column: x => x.center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "answer_hours",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    call_route_id = table.Column<int>(type: "integer", nullable: false),
                    weekday = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    opens_at = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    closes_at = table.Column<TimeOnly>(type: "time without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_answer_hours", x => x.id);
                    table.ForeignKey(
                        name: "fk_answer_hours_call_routes_call_route_id",
                        column: x => x.call_route_id,
                        principalTable: "call_routes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracks",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    program_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracks", x => x.id);
                    table.ForeignKey(
                        name: "fk_tracks_programs_program_id",
                        column: x => x.program_id,
                        principalTable: "programs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "track_sessions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    track_id = table.Column<int>(type: "integer", nullable: false),
                    weekday = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    starts_at = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    ends_at = table.Column<TimeOnly>(type: "time without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_track_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_track_sessions_tracks_track_id",
                        column: x => x.track_id,
                        principalTable: "tracks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "services",
                columns: new[] { "code", "category", "label", "samhsa_code" },
                values: new object[,]
                {
                    { "ACUPUNCTURE", "Holistic", "Acupuncture", "ACU" },
                    { "ADVENTURE_THERAPY", "Holistic", "Adventure / wilderness therapy", null },
                    { "AFTERCARE_PLANNING", "Aftercare", "Aftercare / continuing care planning", "ACC" },
                    { "ANGER_MANAGEMENT", "TherapyApproach", "Anger management", "ANG" },
                    { "ART_THERAPY", "Holistic", "Art therapy", null },
                    { "CBT", "TherapyApproach", "Cognitive behavioral therapy (CBT)", "CBT" },
                    { "CONTINGENCY_MANAGEMENT", "TherapyApproach", "Contingency management", "CMI" },
                    { "COUPLES_COUNSELING", "CoreCounseling", "Marital / couples counseling", "MCO" },
                    { "CO_OCCURRING_TREATMENT", "Medication", "Treatment of co-occurring mental-health disorders", "CO" },
                    { "DBT", "TherapyApproach", "Dialectical behavior therapy (DBT)", "DBT" },
                    { "DISCHARGE_PLANNING", "Aftercare", "Discharge planning", "DP" },
                    { "EMPLOYMENT_SUPPORT", "LifeSkills", "Employment counseling (resume building, job applications)", "EMP" },
                    { "EQUINE_THERAPY", "Holistic", "Equine-assisted therapy", null },
                    { "FAMILY_THERAPY", "CoreCounseling", "Family therapy", "FCO" },
                    { "FITNESS", "Holistic", "Fitness", null },
                    { "GENDER_SPECIFIC_GROUPS", "SpecializedGroup", "Gender-specific groups", null },
                    { "GROUP_COUNSELING", "CoreCounseling", "Group counseling", "GCO" },
                    { "INDIVIDUAL_COUNSELING", "CoreCounseling", "Individual counseling", "ICO" },
                    { "LGBTQ_GROUPS", "SpecializedGroup", "LGBTQ+ groups", "GL" },
                    { "LIFE_SKILLS", "LifeSkills", "Life-skills training (stress, problem solving, communication)", "SSD" },
                    { "MAT_ACAMPROSATE", "Medication", "Medication for alcohol use disorder: acamprosate", "ACM" },
                    { "MAT_BUPRENORPHINE", "Medication", "Medication for opioid use disorder: buprenorphine", "BU" },
                    { "MAT_METHADONE", "Medication", "Medication for opioid use disorder: methadone", "MU" },
                    { "MAT_NALTREXONE", "Medication", "Medication for alcohol / opioid use disorder: naltrexone", "NU" },
                    { "MEDICATION_MANAGEMENT", "Medication", "Medication management", "MPD" },
                    { "MINDFULNESS", "Holistic", "Mindfulness and meditation", null },
                    { "MOTIVATIONAL_INTERVIEWING", "TherapyApproach", "Motivational interviewing", "MOTI" },
                    { "MUSIC_THERAPY", "Holistic", "Music therapy", null },
                    { "NEUROFEEDBACK", "Holistic", "Neurofeedback", null },
                    { "ONSITE_TWELVE_STEP_MEETINGS", "SupportGroup", "On-site 12-step meetings", "SHG" },
                    { "PEER_SUPPORT", "SupportGroup", "Peer support / recovery coaching", "PEER" },
                    { "PSYCHOEDUCATION", "CoreCounseling", "Psychoeducation groups (addiction, stages of change, recovery)", "SAE" },
                    { "RELAPSE_PREVENTION", "TherapyApproach", "Relapse prevention", "RELP" },
                    { "SOBER_LIVING_REFERRAL", "Aftercare", "Sober living arrangements", "HS" },
                    { "TRAUMA_SURVIVOR_GROUPS", "SpecializedGroup", "Groups for abuse and trauma survivors", "TRMA" },
                    { "TRAUMA_THERAPY", "TherapyApproach", "Trauma-related counseling", "TRC" },
                    { "TWELVE_STEP_FACILITATION", "SupportGroup", "12-step facilitation (AA / NA participation encouraged)", "TWFA" },
                    { "YOGA", "Holistic", "Yoga", null }
                });

            migrationBuilder.CreateIndex(
                name: "ix_answer_hours_call_route_id",
                table: "answer_hours",
                column: "call_route_id");

            migrationBuilder.CreateIndex(
                name: "ix_call_routes_center_id",
                table: "call_routes",
                column: "center_id");

            migrationBuilder.CreateIndex(
                name: "ix_call_routes_destination_center_id",
                table: "call_routes",
                column: "destination_center_id");

            migrationBuilder.CreateIndex(
                name: "ix_call_routes_number",
                table: "call_routes",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_centers_levels_of_care",
                table: "centers",
                column: "levels_of_care")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_centers_location",
                table: "centers",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_centers_payer_types",
                table: "centers",
                column: "payer_types")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_centers_service_area",
                table: "centers",
                column: "service_area")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_centers_source_source_id",
                table: "centers",
                columns: new[] { "source", "source_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_insurance_plans_center_id_carrier_code",
                table: "insurance_plans",
                columns: new[] { "center_id", "carrier_code" });

            migrationBuilder.CreateIndex(
                name: "ix_phones_center_id",
                table: "phones",
                column: "center_id");

            migrationBuilder.CreateIndex(
                name: "ix_programs_center_id",
                table: "programs",
                column: "center_id");

            migrationBuilder.CreateIndex(
                name: "ix_programs_service_codes",
                table: "programs",
                column: "service_codes")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_track_sessions_track_id",
                table: "track_sessions",
                column: "track_id");

            migrationBuilder.CreateIndex(
                name: "ix_tracks_program_id",
                table: "tracks",
                column: "program_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "answer_hours");

            migrationBuilder.DropTable(
                name: "insurance_plans");

            migrationBuilder.DropTable(
                name: "phones");

            migrationBuilder.DropTable(
                name: "services");

            migrationBuilder.DropTable(
                name: "track_sessions");

            migrationBuilder.DropTable(
                name: "call_routes");

            migrationBuilder.DropTable(
                name: "tracks");

            migrationBuilder.DropTable(
                name: "programs");

            migrationBuilder.DropTable(
                name: "centers");
        }
    }
}
