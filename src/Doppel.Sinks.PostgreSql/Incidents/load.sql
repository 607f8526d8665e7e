-- Load SQL of Doppel's incidents plan: staging (generated codes) -> targets (surrogate ids).
--
-- Each section starts with a line "-- @<kind> <name>" and runs as one command, inside the load's single
-- transaction, with search_path = <target schema>, <postgis schema>. Staging tables live in pg_temp
-- and mirror the generated files (see schema.sql for their column lists); their columns are cast
-- explicitly, so a column generated as text (e.g. an ISO timestamp) loads as well as a typed one.
--
--   @step   a statement that changes rows (run under a savepoint)
--   @check  a query whose rows are problems: (problem text, example text, rows bigint); any row
--           fails the load before anything is merged, naming the offending code or key
--   @dups   a query returning one text row describing a natural key that occurs twice in staging;
--           run only to explain a failed upsert
--
-- Order matters: lookups, stations, incidents, then the incident children, so every join resolves
-- against rows merged earlier in the same transaction (or loaded by earlier runs).

-- @step lookups
INSERT INTO incident_types AS t (code, label)
SELECT code, label FROM pg_temp.stage_lookups WHERE kind = 'type'
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label WHERE t.label IS DISTINCT FROM EXCLUDED.label;
INSERT INTO incident_severities AS t (code, label)
SELECT code, label FROM pg_temp.stage_lookups WHERE kind = 'severity'
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label WHERE t.label IS DISTINCT FROM EXCLUDED.label;
INSERT INTO incident_statuses AS t (code, label)
SELECT code, label FROM pg_temp.stage_lookups WHERE kind = 'status'
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label WHERE t.label IS DISTINCT FROM EXCLUDED.label;
INSERT INTO incident_sources AS t (code, label)
SELECT code, label FROM pg_temp.stage_lookups WHERE kind = 'source'
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label WHERE t.label IS DISTINCT FROM EXCLUDED.label;
INSERT INTO weather_conditions AS t (code, label)
SELECT code, label FROM pg_temp.stage_lookups WHERE kind = 'weather'
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label WHERE t.label IS DISTINCT FROM EXCLUDED.label;

-- @check stations
-- Geometry: the WKT must be a POINT whose x/y equal location_lng/location_lat (WKT is "lng lat",
-- domain-reference §7.3); a swapped pair is the classic bug this catches.
WITH g AS (
    SELECT s.station_code::text AS station_code, s.location_wkt::text AS wkt,
           s.location_lng::float8 AS lng, s.location_lat::float8 AS lat,
           CASE WHEN s.location_wkt::text ~* '^\s*POINT\s*\(\s*[-+]?[0-9.]+([eE][-+]?[0-9]+)?\s+[-+]?[0-9.]+([eE][-+]?[0-9]+)?\s*\)\s*$'
                THEN ST_GeomFromText(s.location_wkt::text) END AS geom
    FROM pg_temp.stage_stations s
), bad(rank, problem, example) AS (
    SELECT 1, 'stations.station_code is missing', NULL FROM g WHERE station_code IS NULL
    UNION ALL
    SELECT 2, 'stations.location_wkt is not a WKT POINT(lng lat)', format('station %s: %L', station_code, wkt)
    FROM g WHERE wkt IS NOT NULL AND geom IS NULL
    UNION ALL
    SELECT 3, 'stations.location_wkt does not match location_lng/location_lat (WKT must be POINT(lng lat))',
           format('station %s: %s vs lng %s lat %s', station_code, wkt, lng, lat)
    FROM g WHERE geom IS NOT NULL AND lng IS NOT NULL AND lat IS NOT NULL
             AND (abs(ST_X(geom) - lng) > 1e-9 OR abs(ST_Y(geom) - lat) > 1e-9)
    UNION ALL
    SELECT 4, 'stations location is outside longitude -180..180 / latitude -90..90', format('station %s: %s', station_code, wkt)
    FROM g WHERE geom IS NOT NULL AND (abs(ST_X(geom)) > 180 OR abs(ST_Y(geom)) > 90)
)
SELECT problem, min(example), count(*) FROM bad GROUP BY problem ORDER BY min(rank), problem;

-- @step stations
INSERT INTO stations AS t (
    station_code, name, battalion, address_line_1, address_line_2, city, region, postal_code, phone,
    is_active, commissioned_on, decommissioned_on, response_zone_code, location, coverage_radius_meters,
    created_at, updated_at)
SELECT s.station_code::text, s.name::text, s.battalion::text, s.address_line_1::text, s.address_line_2::text,
       s.city::text, s.region::text, s.postal_code::text, s.phone::text,
       coalesce(s.is_active::boolean, true), s.commissioned_on::date, s.decommissioned_on::date,
       s.response_zone_code::text,
       coalesce(ST_SetSRID(ST_GeomFromText(s.location_wkt::text), 4326),
                ST_SetSRID(ST_MakePoint(s.location_lng::float8, s.location_lat::float8), 4326)),
       round(s.coverage_radius_meters::numeric)::integer, s.created_at::timestamptz, s.updated_at::timestamptz
FROM pg_temp.stage_stations s
ON CONFLICT (station_code) DO UPDATE SET
    name = EXCLUDED.name, battalion = EXCLUDED.battalion, address_line_1 = EXCLUDED.address_line_1,
    address_line_2 = EXCLUDED.address_line_2, city = EXCLUDED.city, region = EXCLUDED.region,
    postal_code = EXCLUDED.postal_code, phone = EXCLUDED.phone, is_active = EXCLUDED.is_active,
    commissioned_on = EXCLUDED.commissioned_on, decommissioned_on = EXCLUDED.decommissioned_on,
    response_zone_code = EXCLUDED.response_zone_code, location = EXCLUDED.location,
    coverage_radius_meters = EXCLUDED.coverage_radius_meters, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at
WHERE (t.name, t.battalion, t.address_line_1, t.address_line_2, t.city, t.region, t.postal_code, t.phone,
       t.is_active, t.commissioned_on, t.decommissioned_on, t.response_zone_code, t.location,
       t.coverage_radius_meters, t.created_at, t.updated_at)
      IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.battalion, EXCLUDED.address_line_1, EXCLUDED.address_line_2, EXCLUDED.city,
       EXCLUDED.region, EXCLUDED.postal_code, EXCLUDED.phone, EXCLUDED.is_active, EXCLUDED.commissioned_on,
       EXCLUDED.decommissioned_on, EXCLUDED.response_zone_code, EXCLUDED.location,
       EXCLUDED.coverage_radius_meters, EXCLUDED.created_at, EXCLUDED.updated_at);

-- @dups stations
SELECT format('stations.station_code %L occurs %s times', station_code, count(*))
FROM pg_temp.stage_stations GROUP BY station_code HAVING count(*) > 1 LIMIT 1;

-- @check incidents
-- Every non-null code must resolve; the four required codes must be present. Checked before the
-- merge so an unknown code fails the load with its name instead of becoming a NULL foreign key.
WITH s AS (
    SELECT incident_number::text AS incident_number, type_code::text AS type_code,
           severity_code::text AS severity_code, status_code::text AS status_code,
           source_code::text AS source_code, weather_condition_code::text AS weather_condition_code,
           primary_station_code::text AS primary_station_code,
           location_wkt::text AS wkt, location_lng::float8 AS lng, location_lat::float8 AS lat
    FROM pg_temp.stage_incidents
), bad(problem, example) AS (
    SELECT 'incidents.incident_number is missing', NULL FROM s WHERE incident_number IS NULL
    UNION ALL
    SELECT CASE WHEN type_code IS NULL THEN 'incidents.type_code is missing (required)'
                ELSE format('incidents.type_code %L is not a code in incident_types', type_code) END, incident_number
    FROM s WHERE type_code IS NULL OR NOT EXISTS (SELECT 1 FROM incident_types l WHERE l.code = s.type_code)
    UNION ALL
    SELECT CASE WHEN severity_code IS NULL THEN 'incidents.severity_code is missing (required)'
                ELSE format('incidents.severity_code %L is not a code in incident_severities', severity_code) END, incident_number
    FROM s WHERE severity_code IS NULL OR NOT EXISTS (SELECT 1 FROM incident_severities l WHERE l.code = s.severity_code)
    UNION ALL
    SELECT CASE WHEN status_code IS NULL THEN 'incidents.status_code is missing (required)'
                ELSE format('incidents.status_code %L is not a code in incident_statuses', status_code) END, incident_number
    FROM s WHERE status_code IS NULL OR NOT EXISTS (SELECT 1 FROM incident_statuses l WHERE l.code = s.status_code)
    UNION ALL
    SELECT CASE WHEN source_code IS NULL THEN 'incidents.source_code is missing (required)'
                ELSE format('incidents.source_code %L is not a code in incident_sources', source_code) END, incident_number
    FROM s WHERE source_code IS NULL OR NOT EXISTS (SELECT 1 FROM incident_sources l WHERE l.code = s.source_code)
    UNION ALL
    SELECT format('incidents.weather_condition_code %L is not a code in weather_conditions', weather_condition_code), incident_number
    FROM s WHERE weather_condition_code IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM weather_conditions l WHERE l.code = s.weather_condition_code)
    UNION ALL
    SELECT format('incidents.primary_station_code %L is not a station', primary_station_code), incident_number
    FROM s WHERE primary_station_code IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM stations l WHERE l.station_code = s.primary_station_code)
    UNION ALL
    SELECT 'incidents.location_wkt is not a WKT POINT(lng lat)', format('%s: %L', incident_number, wkt)
    FROM s WHERE wkt IS NOT NULL
             AND wkt !~* '^\s*POINT\s*\(\s*[-+]?[0-9.]+([eE][-+]?[0-9]+)?\s+[-+]?[0-9.]+([eE][-+]?[0-9]+)?\s*\)\s*$'
)
SELECT problem, 'incident_number ' || coalesce(min(example), 'NULL'), count(*) FROM bad GROUP BY problem ORDER BY problem;

-- @check incidents_geometry
-- Separate from the code check so the WKT is parsed only once it is known to be a POINT.
WITH g AS (
    SELECT incident_number::text AS incident_number, location_wkt::text AS wkt,
           location_lng::float8 AS lng, location_lat::float8 AS lat, ST_GeomFromText(location_wkt::text) AS geom
    FROM pg_temp.stage_incidents WHERE location_wkt IS NOT NULL
), bad(rank, problem, example) AS (
    SELECT 1, 'incidents.location_wkt does not match location_lng/location_lat (WKT must be POINT(lng lat))',
           format('%s: %s vs lng %s lat %s', incident_number, wkt, lng, lat)
    FROM g WHERE lng IS NOT NULL AND lat IS NOT NULL AND (abs(ST_X(geom) - lng) > 1e-9 OR abs(ST_Y(geom) - lat) > 1e-9)
    UNION ALL
    SELECT 2, 'incidents location is outside longitude -180..180 / latitude -90..90', format('%s: %s', incident_number, wkt)
    FROM g WHERE abs(ST_X(geom)) > 180 OR abs(ST_Y(geom)) > 90
)
SELECT problem, 'incident_number ' || min(example), count(*) FROM bad GROUP BY problem ORDER BY min(rank), problem;

-- @step incidents
-- LEFT JOINs on purpose: the checks above guarantee every code resolves; if one ever did not, the NOT
-- NULL constraints on the required ids would still fail the load instead of dropping the row.
INSERT INTO incidents AS t (
    incident_number, external_reference, title, narrative, type_id, severity_id, status_id, source_id,
    weather_condition_id, primary_station_id, occurrence_at, reported_at, dispatch_at, arrival_at, resolved_at,
    location, location_geohash, address_line_1, address_line_2, city, region, postal_code, casualty_count,
    responder_injuries, estimated_damage_amount, is_active, metadata)
SELECT s.incident_number::text, s.external_reference::text, s.title::text, s.narrative::text,
       ty.id, sv.id, st.id, so.id, w.id, ps.id,
       s.occurrence_at::timestamptz, s.reported_at::timestamptz, s.dispatch_at::timestamptz,
       s.arrival_at::timestamptz, s.resolved_at::timestamptz,
       coalesce(ST_SetSRID(ST_GeomFromText(s.location_wkt::text), 4326),
                ST_SetSRID(ST_MakePoint(s.location_lng::float8, s.location_lat::float8), 4326)),
       s.location_geohash::text, s.address_line_1::text, s.address_line_2::text, s.city::text, s.region::text,
       s.postal_code::text, coalesce(s.casualty_count::integer, 0), coalesce(s.responder_injuries::integer, 0),
       s.estimated_damage_amount::numeric(14, 2), coalesce(s.is_active::boolean, true), s.metadata::jsonb
FROM pg_temp.stage_incidents s
LEFT JOIN incident_types ty ON ty.code = s.type_code::text
LEFT JOIN incident_severities sv ON sv.code = s.severity_code::text
LEFT JOIN incident_statuses st ON st.code = s.status_code::text
LEFT JOIN incident_sources so ON so.code = s.source_code::text
LEFT JOIN weather_conditions w ON w.code = s.weather_condition_code::text
LEFT JOIN stations ps ON ps.station_code = s.primary_station_code::text
ON CONFLICT (incident_number) DO UPDATE SET
    external_reference = EXCLUDED.external_reference, title = EXCLUDED.title, narrative = EXCLUDED.narrative,
    type_id = EXCLUDED.type_id, severity_id = EXCLUDED.severity_id, status_id = EXCLUDED.status_id,
    source_id = EXCLUDED.source_id, weather_condition_id = EXCLUDED.weather_condition_id,
    primary_station_id = EXCLUDED.primary_station_id, occurrence_at = EXCLUDED.occurrence_at,
    reported_at = EXCLUDED.reported_at, dispatch_at = EXCLUDED.dispatch_at, arrival_at = EXCLUDED.arrival_at,
    resolved_at = EXCLUDED.resolved_at, location = EXCLUDED.location, location_geohash = EXCLUDED.location_geohash,
    address_line_1 = EXCLUDED.address_line_1, address_line_2 = EXCLUDED.address_line_2, city = EXCLUDED.city,
    region = EXCLUDED.region, postal_code = EXCLUDED.postal_code, casualty_count = EXCLUDED.casualty_count,
    responder_injuries = EXCLUDED.responder_injuries, estimated_damage_amount = EXCLUDED.estimated_damage_amount,
    is_active = EXCLUDED.is_active, metadata = EXCLUDED.metadata
WHERE (t.external_reference, t.title, t.narrative, t.type_id, t.severity_id, t.status_id, t.source_id,
       t.weather_condition_id, t.primary_station_id, t.occurrence_at, t.reported_at, t.dispatch_at, t.arrival_at,
       t.resolved_at, t.location, t.location_geohash, t.address_line_1, t.address_line_2, t.city, t.region,
       t.postal_code, t.casualty_count, t.responder_injuries, t.estimated_damage_amount, t.is_active, t.metadata)
      IS DISTINCT FROM
      (EXCLUDED.external_reference, EXCLUDED.title, EXCLUDED.narrative, EXCLUDED.type_id, EXCLUDED.severity_id,
       EXCLUDED.status_id, EXCLUDED.source_id, EXCLUDED.weather_condition_id, EXCLUDED.primary_station_id,
       EXCLUDED.occurrence_at, EXCLUDED.reported_at, EXCLUDED.dispatch_at, EXCLUDED.arrival_at, EXCLUDED.resolved_at,
       EXCLUDED.location, EXCLUDED.location_geohash, EXCLUDED.address_line_1, EXCLUDED.address_line_2, EXCLUDED.city,
       EXCLUDED.region, EXCLUDED.postal_code, EXCLUDED.casualty_count, EXCLUDED.responder_injuries,
       EXCLUDED.estimated_damage_amount, EXCLUDED.is_active, EXCLUDED.metadata);

-- @dups incidents
SELECT format('incidents.incident_number %L occurs %s times', incident_number, count(*))
FROM pg_temp.stage_incidents GROUP BY incident_number HAVING count(*) > 1 LIMIT 1;

-- @check incident_units
WITH bad(problem, example) AS (
    SELECT CASE WHEN s.incident_number IS NULL THEN 'incident_units.incident_number is missing'
                ELSE 'incident_units.incident_number refers to no incident' END, s.incident_number::text
    FROM pg_temp.stage_incident_units s
    WHERE s.incident_number IS NULL OR NOT EXISTS (SELECT 1 FROM incidents i WHERE i.incident_number = s.incident_number::text)
    UNION ALL
    SELECT CASE WHEN s.station_code IS NULL THEN 'incident_units.station_code is missing'
                ELSE format('incident_units.station_code %L is not a station', s.station_code) END, s.incident_number::text
    FROM pg_temp.stage_incident_units s
    WHERE s.station_code IS NULL OR NOT EXISTS (SELECT 1 FROM stations st WHERE st.station_code = s.station_code::text)
)
SELECT problem, 'incident_number ' || coalesce(min(example), 'NULL'), count(*) FROM bad GROUP BY problem ORDER BY problem;

-- @step incident_units
INSERT INTO incident_units AS t (incident_id, station_id, assignment_role, dispatched_at, cleared_at)
SELECT i.id, st.id, s.assignment_role::text, s.dispatched_at::timestamptz, s.cleared_at::timestamptz
FROM pg_temp.stage_incident_units s
LEFT JOIN incidents i ON i.incident_number = s.incident_number::text
LEFT JOIN stations st ON st.station_code = s.station_code::text
ON CONFLICT (incident_id, station_id, assignment_role, dispatched_at) DO UPDATE SET cleared_at = EXCLUDED.cleared_at
WHERE t.cleared_at IS DISTINCT FROM EXCLUDED.cleared_at;

-- @dups incident_units
SELECT format('incident_units (incident_number, station_code, assignment_role, dispatched_at) = (%s, %s, %s, %s) occurs %s times',
              incident_number, station_code, assignment_role, dispatched_at, count(*))
FROM pg_temp.stage_incident_units GROUP BY incident_number, station_code, assignment_role, dispatched_at
HAVING count(*) > 1 LIMIT 1;

-- @check incident_assets
WITH bad(problem, example) AS (
    SELECT CASE WHEN s.incident_number IS NULL THEN 'incident_assets.incident_number is missing'
                ELSE 'incident_assets.incident_number refers to no incident' END, s.incident_number::text
    FROM pg_temp.stage_incident_assets s
    WHERE s.incident_number IS NULL OR NOT EXISTS (SELECT 1 FROM incidents i WHERE i.incident_number = s.incident_number::text)
)
SELECT problem, 'incident_number ' || coalesce(min(example), 'NULL'), count(*) FROM bad GROUP BY problem ORDER BY problem;

-- @step incident_assets
INSERT INTO incident_assets AS t (incident_id, asset_identifier, asset_type, status, notes)
SELECT i.id, s.asset_identifier::text, s.asset_type::text, s.status::text, s.notes::text
FROM pg_temp.stage_incident_assets s
LEFT JOIN incidents i ON i.incident_number = s.incident_number::text
ON CONFLICT (incident_id, asset_identifier) DO UPDATE SET
    asset_type = EXCLUDED.asset_type, status = EXCLUDED.status, notes = EXCLUDED.notes
WHERE (t.asset_type, t.status, t.notes) IS DISTINCT FROM (EXCLUDED.asset_type, EXCLUDED.status, EXCLUDED.notes);

-- @dups incident_assets
SELECT format('incident_assets (incident_number, asset_identifier) = (%s, %s) occurs %s times', incident_number, asset_identifier, count(*))
FROM pg_temp.stage_incident_assets GROUP BY incident_number, asset_identifier HAVING count(*) > 1 LIMIT 1;

-- @check incident_notes
WITH bad(problem, example) AS (
    SELECT CASE WHEN s.incident_number IS NULL THEN 'incident_notes.incident_number is missing'
                ELSE 'incident_notes.incident_number refers to no incident' END, s.incident_number::text
    FROM pg_temp.stage_incident_notes s
    WHERE s.incident_number IS NULL OR NOT EXISTS (SELECT 1 FROM incidents i WHERE i.incident_number = s.incident_number::text)
)
SELECT problem, 'incident_number ' || coalesce(min(example), 'NULL'), count(*) FROM bad GROUP BY problem ORDER BY problem;

-- @step incident_notes
INSERT INTO incident_notes AS t (incident_id, author, note, created_at)
SELECT i.id, s.author::text, s.note::text, s.created_at::timestamptz
FROM pg_temp.stage_incident_notes s
LEFT JOIN incidents i ON i.incident_number = s.incident_number::text
ON CONFLICT (incident_id, created_at, author) DO UPDATE SET note = EXCLUDED.note
WHERE t.note IS DISTINCT FROM EXCLUDED.note;

-- @dups incident_notes
SELECT format('incident_notes (incident_number, created_at, author) = (%s, %s, %s) occurs %s times', incident_number, created_at, author, count(*))
FROM pg_temp.stage_incident_notes GROUP BY incident_number, created_at, author HAVING count(*) > 1 LIMIT 1;
