using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IopDirectory.Data.Migrations
{
    /// <summary>
    /// What the location search filters on, kept on the centre row so one index-ordered scan can
    /// answer "nearest N with an evening track that takes Medicaid" without joins:
    /// the union of the centre's programs' services and tracks and of its carriers (maintained by
    /// statement-level triggers, so COPY bulk loads refresh once per statement), and the location
    /// as planar lon/lat geometry for map viewports, GeoJSON areas and clusters.
    /// EF does not map these columns: only the search SQL reads them, and nothing writes them but
    /// the database.
    /// </summary>
    public partial class SearchColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE centers
                    ADD COLUMN search_services text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN search_tracks text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN search_carriers text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN position geometry(Point, 4326) GENERATED ALWAYS AS (location::geometry) STORED;
                CREATE INDEX ix_centers_position ON centers USING gist (position);
                CREATE INDEX ix_centers_state ON centers (state);

                CREATE FUNCTION refresh_center_search(center_ids int[]) RETURNS void LANGUAGE sql AS $$
                    UPDATE centers c SET
                        search_services = coalesce((SELECT array_agg(DISTINCT code ORDER BY code)
                            FROM programs p, unnest(p.service_codes) AS code WHERE p.center_id = c.id), '{}'),
                        search_tracks = coalesce((SELECT array_agg(DISTINCT t.kind ORDER BY t.kind)
                            FROM programs p JOIN tracks t ON t.program_id = p.id WHERE p.center_id = c.id), '{}'),
                        search_carriers = coalesce((SELECT array_agg(DISTINCT i.carrier_code ORDER BY i.carrier_code)
                            FROM insurance_plans i WHERE i.center_id = c.id), '{}')
                    WHERE c.id = ANY (center_ids);
                $$;

                CREATE FUNCTION refresh_center_search_from_programs() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM refresh_center_search(ARRAY(SELECT DISTINCT center_id FROM new_rows));
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM refresh_center_search(ARRAY(SELECT DISTINCT center_id FROM old_rows));
                    ELSE
                        PERFORM refresh_center_search(ARRAY(SELECT center_id FROM new_rows UNION SELECT center_id FROM old_rows));
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE FUNCTION refresh_center_search_from_tracks() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM refresh_center_search(ARRAY(SELECT DISTINCT p.center_id FROM new_rows n JOIN programs p ON p.id = n.program_id));
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM refresh_center_search(ARRAY(SELECT DISTINCT p.center_id FROM old_rows o JOIN programs p ON p.id = o.program_id));
                    ELSE
                        PERFORM refresh_center_search(ARRAY(
                            SELECT p.center_id FROM new_rows n JOIN programs p ON p.id = n.program_id
                            UNION SELECT p.center_id FROM old_rows o JOIN programs p ON p.id = o.program_id));
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER programs_search_insert AFTER INSERT ON programs REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_programs();
                CREATE TRIGGER programs_search_update AFTER UPDATE ON programs REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_programs();
                CREATE TRIGGER programs_search_delete AFTER DELETE ON programs REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_programs();
                CREATE TRIGGER insurance_plans_search_insert AFTER INSERT ON insurance_plans REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_programs();
                CREATE TRIGGER insurance_plans_search_update AFTER UPDATE ON insurance_plans REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_programs();
                CREATE TRIGGER insurance_plans_search_delete AFTER DELETE ON insurance_plans REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_programs();
                CREATE TRIGGER tracks_search_insert AFTER INSERT ON tracks REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_tracks();
                CREATE TRIGGER tracks_search_update AFTER UPDATE ON tracks REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_tracks();
                CREATE TRIGGER tracks_search_delete AFTER DELETE ON tracks REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION refresh_center_search_from_tracks();

                -- Is a centre's own line answered at a given instant, in the answering party's time zone?
                CREATE FUNCTION center_answers_at(center_id int, at timestamptz) RETURNS boolean STABLE LANGUAGE sql AS $$
                    SELECT EXISTS (
                        SELECT 1 FROM call_routes r
                        WHERE r.center_id = $1 AND r.kind = 'FacilityLine'
                          AND (r.answered_all_hours OR EXISTS (
                              SELECT 1 FROM answer_hours h
                              WHERE h.call_route_id = r.id
                                AND h.weekday = trim(to_char($2 AT TIME ZONE r.answer_time_zone, 'FMDay'))
                                AND h.opens_at <= ($2 AT TIME ZONE r.answer_time_zone)::time
                                AND h.closes_at > ($2 AT TIME ZONE r.answer_time_zone)::time)));
                $$;

                SELECT refresh_center_search(ARRAY(SELECT id FROM centers));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION center_answers_at(int, timestamptz);
                DROP TRIGGER tracks_search_insert ON tracks; DROP TRIGGER tracks_search_update ON tracks; DROP TRIGGER tracks_search_delete ON tracks;
                DROP TRIGGER insurance_plans_search_insert ON insurance_plans; DROP TRIGGER insurance_plans_search_update ON insurance_plans;
                DROP TRIGGER insurance_plans_search_delete ON insurance_plans;
                DROP TRIGGER programs_search_insert ON programs; DROP TRIGGER programs_search_update ON programs; DROP TRIGGER programs_search_delete ON programs;
                DROP FUNCTION refresh_center_search_from_tracks(); DROP FUNCTION refresh_center_search_from_programs();
                DROP FUNCTION refresh_center_search(int[]);
                DROP INDEX ix_centers_position;
                DROP INDEX ix_centers_state;
                ALTER TABLE centers DROP COLUMN position, DROP COLUMN search_carriers, DROP COLUMN search_tracks, DROP COLUMN search_services;
                """);
        }
    }
}
