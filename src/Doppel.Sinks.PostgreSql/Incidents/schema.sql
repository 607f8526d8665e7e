-- Fire/EMS incidents on PostGIS: the target schema of Doppel's incidents load plan.
--
-- Unqualified on purpose: the loader runs this file with
--     SET LOCAL search_path TO <schema>, <postgis schema>;
-- so one file serves any target schema. To apply it by hand:
--     psql -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA IF NOT EXISTS incidents' \
--          -c 'SET search_path TO incidents, public' -f schema.sql
-- Requires PostgreSQL 13+ and PostGIS 3 (CREATE EXTENSION postgis). Idempotent: every statement is
-- IF NOT EXISTS, so a re-run leaves existing tables and rows alone.
--
-- Shape (after the source data set's docs/sql/initial_schema.sql): five lookup tables keyed by code,
-- stations keyed by station_code, incidents keyed by incident_number, and three child tables of
-- incidents. Generated files carry codes; these tables carry surrogate ids, resolved at load time
-- by joining the codes against the lookup tables and stations. Geometry is SRID 4326 with x = longitude,
-- y = latitude (WKT 'POINT(lng lat)', domain-reference §7.3).

-- Lookups ------------------------------------------------------------------------------------------
-- Seeded from the incidents pack's lookups.csv (kind,code,label,weight) in the same transaction as every load.

CREATE TABLE IF NOT EXISTS incident_types (
    id    serial PRIMARY KEY,
    code  text NOT NULL UNIQUE,
    label text NOT NULL
);

CREATE TABLE IF NOT EXISTS incident_severities (
    id    serial PRIMARY KEY,
    code  text NOT NULL UNIQUE,
    label text NOT NULL
);

CREATE TABLE IF NOT EXISTS incident_statuses (
    id    serial PRIMARY KEY,
    code  text NOT NULL UNIQUE,
    label text NOT NULL
);

CREATE TABLE IF NOT EXISTS incident_sources (
    id    serial PRIMARY KEY,
    code  text NOT NULL UNIQUE,
    label text NOT NULL
);

CREATE TABLE IF NOT EXISTS weather_conditions (
    id    serial PRIMARY KEY,
    code  text NOT NULL UNIQUE,
    label text NOT NULL
);

-- Stations ----------------------------------------------------------------------------------------
-- Seed columns: station_code, name, battalion, address_line_1, address_line_2, city, region,
-- postal_code, phone, is_active, commissioned_on, decommissioned_on, response_zone_code,
-- location_lat, location_lng, location_wkt, coverage_radius_meters, created_at, updated_at.
-- location_lat/location_lng/location_wkt become the one geometry column `location`; the loader checks
-- that the WKT and the lat/lng columns agree before it merges.

CREATE TABLE IF NOT EXISTS stations (
    id                     serial PRIMARY KEY,
    station_code           text NOT NULL UNIQUE,
    name                   text NOT NULL,
    battalion              text,
    address_line_1         text,
    address_line_2         text,
    city                   text,
    region                 text,
    postal_code            text,
    phone                  text,
    is_active              boolean NOT NULL DEFAULT true,
    commissioned_on        date,
    decommissioned_on      date,
    response_zone_code     text,
    location               geometry(Point, 4326),
    coverage_radius_meters integer CHECK (coverage_radius_meters IS NULL OR coverage_radius_meters > 0),
    created_at             timestamptz,
    updated_at             timestamptz,
    CONSTRAINT stations_decommissioned_after_commissioned
        CHECK (decommissioned_on IS NULL OR commissioned_on IS NULL OR decommissioned_on >= commissioned_on)
);

CREATE INDEX IF NOT EXISTS stations_location_gix ON stations USING gist (location);

-- Incidents ---------------------------------------------------------------------------------------
-- Seed columns: incident_number, external_reference, title, narrative, type_code, severity_code,
-- status_code, source_code, weather_condition_code, primary_station_code, occurrence_at, reported_at,
-- dispatch_at, arrival_at, resolved_at, location_lat, location_lng, location_wkt, location_geohash,
-- address_line_1, address_line_2, city, region, postal_code, casualty_count, responder_injuries,
-- estimated_damage_amount, is_active, metadata.
-- The *_code columns become *_id foreign keys; type, severity, status and source are required,
-- weather and primary station are optional (NULL code -> NULL id; an unknown code fails the load).

CREATE TABLE IF NOT EXISTS incidents (
    id                      bigserial PRIMARY KEY,
    incident_number         text NOT NULL UNIQUE,
    external_reference      text,
    title                   text NOT NULL,
    narrative               text,
    type_id                 integer NOT NULL REFERENCES incident_types (id),
    severity_id             integer NOT NULL REFERENCES incident_severities (id),
    status_id               integer NOT NULL REFERENCES incident_statuses (id),
    source_id               integer NOT NULL REFERENCES incident_sources (id),
    weather_condition_id    integer REFERENCES weather_conditions (id),
    primary_station_id      integer REFERENCES stations (id),
    occurrence_at           timestamptz NOT NULL,
    reported_at             timestamptz,
    dispatch_at             timestamptz,
    arrival_at              timestamptz,
    resolved_at             timestamptz,
    location                geometry(Point, 4326),
    location_geohash        text CHECK (location_geohash ~ '^[0-9b-hjkmnp-z]{1,12}$'),
    address_line_1          text,
    address_line_2          text,
    city                    text,
    region                  text,
    postal_code             text,
    casualty_count          integer NOT NULL DEFAULT 0 CHECK (casualty_count >= 0),
    responder_injuries      integer NOT NULL DEFAULT 0 CHECK (responder_injuries >= 0),
    estimated_damage_amount numeric(14, 2) CHECK (estimated_damage_amount IS NULL OR estimated_damage_amount >= 0),
    is_active               boolean NOT NULL DEFAULT true,
    metadata                jsonb,
    -- Chronology of the source data set: occurrence <= reported <= dispatch <= arrival <= resolved
    -- (NULL = not reached yet; each check compares only the stages that are present).
    CONSTRAINT incidents_reported_after_occurrence CHECK (reported_at >= occurrence_at),
    CONSTRAINT incidents_dispatch_after_reported   CHECK (dispatch_at >= reported_at),
    CONSTRAINT incidents_arrival_after_dispatch    CHECK (arrival_at >= dispatch_at),
    CONSTRAINT incidents_resolved_after_arrival    CHECK (resolved_at >= coalesce(arrival_at, dispatch_at, reported_at, occurrence_at))
);

CREATE INDEX IF NOT EXISTS incidents_location_gix ON incidents USING gist (location);
CREATE INDEX IF NOT EXISTS incidents_occurrence_at_idx ON incidents (occurrence_at);
CREATE INDEX IF NOT EXISTS incidents_type_id_idx ON incidents (type_id);
CREATE INDEX IF NOT EXISTS incidents_primary_station_id_idx ON incidents (primary_station_id);

-- Children of incidents ---------------------------------------------------------------------------
-- Seed rows carry incident_number (and station_code), resolved to ids at load time. The natural keys
-- below make re-loads idempotent: the source data has no child identifiers of its own.

-- Seed columns: incident_number, station_code, assignment_role, dispatched_at, cleared_at.
-- Natural key: a station can send several units to one incident, in different roles or at different
-- times, so (incident, station, role, dispatch time) identifies an assignment.
CREATE TABLE IF NOT EXISTS incident_units (
    id              bigserial PRIMARY KEY,
    incident_id     bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    station_id      integer NOT NULL REFERENCES stations (id),
    assignment_role text NOT NULL,
    dispatched_at   timestamptz NOT NULL,
    cleared_at      timestamptz CHECK (cleared_at >= dispatched_at),
    CONSTRAINT incident_units_natural_key UNIQUE (incident_id, station_id, assignment_role, dispatched_at)
);

CREATE INDEX IF NOT EXISTS incident_units_station_id_idx ON incident_units (station_id);

-- Seed columns: incident_number, asset_identifier, asset_type, status, notes.
CREATE TABLE IF NOT EXISTS incident_assets (
    id               bigserial PRIMARY KEY,
    incident_id      bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    asset_identifier text NOT NULL,
    asset_type       text,
    status           text,
    notes            text,
    CONSTRAINT incident_assets_natural_key UNIQUE (incident_id, asset_identifier)
);

-- Seed columns: incident_number, author, note, created_at.
-- Natural key: one author writes at most one note per incident at a given instant.
CREATE TABLE IF NOT EXISTS incident_notes (
    id          bigserial PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    author      text NOT NULL,
    note        text NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT incident_notes_natural_key UNIQUE (incident_id, created_at, author)
);
