using Doppel.Data;
using Doppel.Sinks.PostgreSql.Incidents;

namespace Doppel.Sinks.PostgreSql.Tests;

public sealed class IncidentsLoadPlanTests : IAsyncLifetime
{
    private static readonly string[] Targets =
    [
        "incident_types", "incident_severities", "incident_statuses", "incident_sources", "weather_conditions",
        "stations", "incidents", "incident_units", "incident_assets", "incident_notes",
    ];

    private readonly string _schema = TestDatabase.NewSchema("inc");

    public Task InitializeAsync() => TestDatabase.EnsureReachableAsync();

    public Task DisposeAsync() => TestDatabase.DropSchemaAsync(_schema);

    private PostgresRowSink NewSink() => new(TestDatabase.Options(_schema, "incidents"));

    /// <summary>Streams the data set through a sink; <paramref name="between"/> runs before each batch (to inject failures).</summary>
    private static async Task LoadAsync(PostgresRowSink sink, IncidentsData data, int capacity = 500, Action<RowBatch>? between = null, IReadOnlyList<TableSchema>? tables = null)
    {
        await using (sink)
        {
            try
            {
                await sink.OpenAsync(tables ?? IncidentsData.Schemas, CancellationToken.None);
                foreach (var batch in data.All(capacity).Where(b => tables is null || tables.Any(t => t.Name == b.Table)))
                {
                    between?.Invoke(batch);
                    await sink.WriteAsync(batch, CancellationToken.None);
                }

                await sink.CompleteAsync(CancellationToken.None);
            }
            catch
            {
                await sink.AbortAsync(CancellationToken.None);
                throw;
            }
        }
    }

    [Fact]
    public async Task A_few_thousand_incidents_load_with_valid_geometry_and_resolved_keys()
    {
        var data = new IncidentsData(stations: 25, incidents: 3000);
        var sink = NewSink();

        await LoadAsync(sink, data);

        foreach (var table in new[] { "stations", "incidents", "incident_units", "incident_assets", "incident_notes" })
        {
            (await TestDatabase.CountAsync(_schema, table)).Should().Be(data.Expected(table), table);
        }

        (await TestDatabase.CountAsync(_schema, "incident_types")).Should().Be(9);
        (await TestDatabase.CountAsync(_schema, "weather_conditions")).Should().Be(6);

        // Geometry: every point valid, SRID 4326, x = longitude (Denver is at about -105, 39.7).
        (await Scalar("SELECT count(*) FROM incidents WHERE location IS NULL OR NOT ST_IsValid(location) OR ST_SRID(location) <> 4326")).Should().Be(0L);
        (await Scalar("SELECT count(*) FROM stations WHERE location IS NULL OR NOT ST_IsValid(location) OR ST_SRID(location) <> 4326")).Should().Be(0L);
        (await Scalar("SELECT count(*) FROM incidents WHERE ST_X(location) NOT BETWEEN -105.2 AND -104.7 OR ST_Y(location) NOT BETWEEN 39.5 AND 40")).Should().Be(0L);
        (await Scalar("SELECT GeometryType(location) || ':' || ST_SRID(location) FROM incidents LIMIT 1")).Should().Be("POINT:4326");

        // The generator's geohash (domain-reference §7.1, '>=' rule) agrees with PostGIS for every incident.
        (await Scalar("SELECT count(*) FROM incidents WHERE location_geohash <> ST_GeoHash(location, 8)")).Should().Be(0L);

        // Every foreign key resolves: inner joins keep every row.
        (await Scalar("""
            SELECT count(*) FROM incidents i
            JOIN incident_types t ON t.id = i.type_id JOIN incident_severities s ON s.id = i.severity_id
            JOIN incident_statuses st ON st.id = i.status_id JOIN incident_sources so ON so.id = i.source_id
            JOIN stations ps ON ps.id = i.primary_station_id
            """)).Should().Be((long)data.IncidentCount);
        var nullWeather = data.Incidents(data.IncidentCount).First()["weather_condition_code"].Nulls.Take(data.IncidentCount).LongCount(n => n);
        nullWeather.Should().BePositive();
        (await Scalar("SELECT count(*) FROM incidents WHERE weather_condition_id IS NULL")).Should().Be(nullWeather, "only generated NULL weather codes give NULL ids");
        (await Scalar("SELECT count(*) FROM incident_units u JOIN incidents i ON i.id = u.incident_id JOIN stations s ON s.id = u.station_id")).Should().Be(data.Expected("incident_units"));
        (await Scalar("SELECT count(*) FROM incident_assets a JOIN incidents i ON i.id = a.incident_id")).Should().Be(data.Expected("incident_assets"));
        (await Scalar("SELECT count(*) FROM incident_notes n JOIN incidents i ON i.id = n.incident_id")).Should().Be(data.Expected("incident_notes"));

        // Codes resolve to the right rows, not just to some row.
        (await Scalar("SELECT t.code FROM incidents i JOIN incident_types t ON t.id = i.type_id WHERE i.incident_number = 'INC-00000001'"))
            .Should().Be(StagedValue(data, 0, "type_code"));
        (await Scalar("SELECT s.station_code FROM incidents i JOIN stations s ON s.id = i.primary_station_id WHERE i.incident_number = 'INC-00000002'"))
            .Should().Be(StagedValue(data, 1, "primary_station_code"));
        (await Scalar("SELECT metadata->'tags'->>1 FROM incidents WHERE incident_number = 'INC-00000001'")).Should().Be("ünïcode");
        (await Scalar("SELECT narrative FROM incidents WHERE incident_number = 'INC-00000001'")).Should().Be(StagedValue(data, 0, "narrative"));

        sink.Results.Select(r => r.Target).Should().Equal(
            $"{_schema}.(lookups)", $"{_schema}.stations", $"{_schema}.incidents", $"{_schema}.incident_units", $"{_schema}.incident_assets", $"{_schema}.incident_notes");
        sink.Results.Skip(1).Should().OnlyContain(r => r.RowsStaged == r.RowsWritten);
    }

    [Fact]
    public async Task Rerunning_the_same_data_is_idempotent()
    {
        var data = new IncidentsData(stations: 12, incidents: 1500);
        await LoadAsync(NewSink(), data);
        var first = await TestDatabase.HashAllAsync(_schema, Targets);

        var again = NewSink();
        await LoadAsync(again, data, capacity: 333); // different batching, same rows

        (await TestDatabase.HashAllAsync(_schema, Targets)).Should().Be(first);
        again.Results.Should().OnlyContain(r => r.RowsWritten == 0, "nothing changed, so nothing is rewritten");
    }

    [Fact]
    public async Task Rebuilding_foreign_keys_loads_the_same_rows_and_restores_every_key()
    {
        var data = new IncidentsData(stations: 8, incidents: 400);
        var normalSchema = TestDatabase.NewSchema("incfk");
        try
        {
            await LoadAsync(new PostgresRowSink(TestDatabase.Options(normalSchema, "incidents")), data);
            await LoadAsync(new PostgresRowSink(TestDatabase.Options(_schema, "incidents") with { RebuildForeignKeys = true }), data);
            await LoadAsync(new PostgresRowSink(TestDatabase.Options(_schema, "incidents") with { RebuildForeignKeys = true }), data);

            const string Keys = "SELECT string_agg(conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conrelid::regclass::text, conname) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace";
            var expected = (string?)await TestDatabase.ScalarAsync(Keys, searchPath: normalSchema);
            ((string?)await TestDatabase.ScalarAsync(Keys, searchPath: _schema)).Should().Be(expected).And.Contain("incidents_type_id_fkey").And.Contain("ON DELETE CASCADE");
            (await TestDatabase.ScalarAsync("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace", _schema)).Should().Be(10L);
            foreach (var table in new[] { "stations", "incidents", "incident_units", "incident_assets", "incident_notes" })
            {
                (await TestDatabase.CountAsync(_schema, table)).Should().Be(data.Expected(table));
            }
        }
        finally
        {
            await TestDatabase.DropSchemaAsync(normalSchema);
        }
    }

    [Fact]
    public async Task Unknown_code_in_the_last_batch_fails_naming_the_code_and_leaves_the_database_as_it_was()
    {
        var data = new IncidentsData(stations: 10, incidents: 1000);
        await LoadAsync(NewSink(), data);
        var before = await TestDatabase.HashAllAsync(_schema, Targets);

        // A second, larger run whose very last incident carries a code no lookup table has.
        var bad = new IncidentsData(stations: 10, incidents: 1200, seed: 7) { TypeCodeOverride = i => i == 1199 ? "ALIEN_INVASION" : null };
        var act = () => LoadAsync(NewSink(), bad);

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Be(
            "PostgreSQL load rejected while checking incidents: incidents.type_code 'ALIEN_INVASION' is not a code in incident_types (1 row, e.g. incident_number INC-00001200); nothing was committed");
        (await TestDatabase.HashAllAsync(_schema, Targets)).Should().Be(before);
    }

    [Fact]
    public async Task Failure_between_batches_then_abort_leaves_the_database_as_it_was()
    {
        var data = new IncidentsData(stations: 10, incidents: 800);
        await LoadAsync(NewSink(), data);
        var before = await TestDatabase.HashAllAsync(_schema, Targets);

        var changed = new IncidentsData(stations: 10, incidents: 900, seed: 99);
        var act = () => LoadAsync(NewSink(), changed, between: b =>
        {
            if (b.Table == "incident_units")
            {
                throw new InvalidOperationException("generator failed mid-run");
            }
        });

        await act.Should().ThrowAsync<InvalidOperationException>();
        (await TestDatabase.HashAllAsync(_schema, Targets)).Should().Be(before);
    }

    [Fact]
    public async Task Unknown_station_of_a_unit_fails_naming_the_station()
    {
        var data = new IncidentsData(stations: 5, incidents: 50) { UnitStationOverride = i => i == 10 ? "ST-999" : null };

        var act = () => LoadAsync(NewSink(), data);

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().StartWith(
            "PostgreSQL load rejected while checking incident_units: incident_units.station_code 'ST-999' is not a station (").And.Contain("incident_number INC-00000011");
        (await TestDatabase.ScalarAsync($"SELECT to_regnamespace('\"{_schema}\"') IS NULL")).Should().Be(true, "even the schema creation is rolled back");
    }

    [Fact]
    public async Task Constraint_violation_names_the_constraint_on_one_line()
    {
        var data = new IncidentsData(stations: 5, incidents: 30) { BreakChronology = i => i == 4 };

        var act = () => LoadAsync(NewSink(), data);

        var message = (await act.Should().ThrowAsync<DoppelException>()).Which.Message;
        message.Should().StartWith($"PostgreSQL load failed while upserting {_schema}.incidents: new row for relation \"incidents\" violates check constraint \"incidents_reported_after_occurrence\"");
        message.Should().Contain("INC-00000005").And.EndWith("[SQLSTATE 23514]; nothing was committed").And.NotContain("\n");
    }

    [Fact]
    public async Task Swapped_wkt_axes_are_rejected()
    {
        var data = new IncidentsData(stations: 5, incidents: 20) { SwapAxes = true };

        var act = () => LoadAsync(NewSink(), data);

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().StartWith(
            "PostgreSQL load rejected while checking incidents geometry: incidents.location_wkt does not match location_lng/location_lat (WKT must be POINT(lng lat)) (20 rows, e.g. incident_number INC-");
    }

    [Fact]
    public async Task Incidents_may_be_loaded_without_the_optional_child_tables()
    {
        var data = new IncidentsData(stations: 5, incidents: 100);
        var tables = IncidentsData.Schemas.Where(s => s.Name is "stations" or "incidents").ToList();

        await LoadAsync(NewSink(), data, tables: tables);

        (await TestDatabase.CountAsync(_schema, "incidents")).Should().Be(100);
        (await TestDatabase.CountAsync(_schema, "incident_units")).Should().Be(0);
    }

    [Fact]
    public async Task Children_can_reference_incidents_loaded_by_an_earlier_run()
    {
        var data = new IncidentsData(stations: 5, incidents: 100);
        await LoadAsync(NewSink(), data, tables: IncidentsData.Schemas.Where(s => s.Name is "stations" or "incidents").ToList());

        await LoadAsync(NewSink(), data, tables: IncidentsData.Schemas.Where(s => s.Name is "incident_notes").ToList());

        (await TestDatabase.CountAsync(_schema, "incident_notes")).Should().Be(data.Expected("incident_notes"));
    }

    [Fact]
    public async Task Unknown_table_or_column_is_rejected_before_anything_is_written()
    {
        var extra = new TableSchema("incidents", [.. IncidentsData.Schema("incidents").Columns, new ColumnSchema("severity", DataType.String, true)]);
        await using (var sink = NewSink())
        {
            var act = async () => await sink.OpenAsync([extra], CancellationToken.None);
            (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Be("The incidents load plan does not know column 'incidents.severity'");
        }

        await using (var sink = NewSink())
        {
            var act = async () => await sink.OpenAsync([new TableSchema("incident", IncidentsData.Schema("incidents").Columns)], CancellationToken.None);
            (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().StartWith("The incidents load plan does not know table 'incident' (did you mean 'incidents'?)");
        }

        var missing = new TableSchema("incident_notes", IncidentsData.Schema("incident_notes").Columns.Where(c => c.Name != "author").ToList());
        await using (var sink = NewSink())
        {
            var act = async () => await sink.OpenAsync([missing], CancellationToken.None);
            (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Be("Table 'incident_notes' lacks column(s) author that the incidents load plan needs");
        }
    }

    [Fact]
    public async Task Timestamps_generated_as_text_are_cast_on_merge()
    {
        var notes = new TableSchema("incident_notes",
            [.. IncidentsData.Schema("incident_notes").Columns.Select(c => c.Name == "created_at" ? c with { Type = DataType.String } : c)]);
        var data = new IncidentsData(stations: 3, incidents: 5);
        await LoadAsync(NewSink(), data, tables: IncidentsData.Schemas.Where(s => s.Name is "stations" or "incidents").ToList());

        await using (var sink = NewSink())
        {
            await sink.OpenAsync([notes], CancellationToken.None);
            await sink.WriteAsync(Batches.Of(notes, 0, ["INC-00000001", "Lt. Text", "typed as text", "2025-03-01T12:34:56.789012Z"]), CancellationToken.None);
            await sink.CompleteAsync(CancellationToken.None);
        }

        (await Scalar("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM incident_notes WHERE author = 'Lt. Text'")).Should().Be("2025-03-01 12:34:56.789012");
    }

    [Fact]
    public async Task Lookup_labels_are_upserted_and_extra_codes_kept()
    {
        var custom = IncidentsLoadPlan.DefaultLookups.Select(l => l.Code == "HAZMAT" ? l with { Label = "Hazmat (renamed)" } : l)
            .Append(new LookupRow("type", "DRONE_SIGHTING", "Drone sighting")).ToList();
        var data = new IncidentsData(stations: 2, incidents: 3);

        await LoadAsync(new PostgresRowSink(TestDatabase.Options(_schema, "incidents"), new IncidentsLoadPlan(custom)), data);
        await LoadAsync(NewSink(), data);

        (await Scalar("SELECT label FROM incident_types WHERE code = 'HAZMAT'")).Should().Be("Hazardous materials", "the shipped label wins on the later run");
        (await Scalar("SELECT count(*) FROM incident_types WHERE code = 'DRONE_SIGHTING'")).Should().Be(1L, "loads never delete lookup rows");
    }

    [Fact]
    public void Shipped_lookups_cover_the_documented_codes()
    {
        var byKind = IncidentsLoadPlan.DefaultLookups.GroupBy(l => l.Kind).ToDictionary(g => g.Key, g => g.Select(l => l.Code).ToList());

        byKind["type"].Should().Equal("STRUCTURE_FIRE", "VEHICLE_FIRE", "WILDLAND_FIRE", "MEDICAL_EMERGENCY", "TRAFFIC_COLLISION", "HAZMAT", "RESCUE", "ALARM_ACTIVATION", "SERVICE_CALL");
        byKind["severity"].Should().Equal("LOW", "MODERATE", "HIGH", "CRITICAL");
        byKind["status"].Should().Equal("REPORTED", "DISPATCHED", "ON_SCENE", "CONTAINED", "RESOLVED", "CLOSED");
        byKind["source"].Should().Equal("PHONE_911", "TEXT_911", "ALARM_SYSTEM", "FIELD_UNIT", "MUTUAL_AID");
        byKind["weather"].Should().Equal("CLEAR", "RAIN", "SNOW", "FOG", "WIND", "HEAT");
        IncidentsLoadPlan.DefaultLookups.Should().OnlyContain(l => l.Label.Length > 0);
    }

    [Theory]
    [InlineData("kind,code\ntype,X", "lookups.csv:1: expected the header 'kind,code,label'")]
    [InlineData("kind,code,label\ncolour,RED,Red", "lookups.csv:2: unknown kind 'colour'; expected one of type, severity, status, source, weather")]
    [InlineData("kind,code,label\ntype,X,One\ntype,X,Two", "lookups.csv:3: duplicate type code 'X'")]
    [InlineData("kind,code,label\ntype,,Empty", "lookups.csv:2: empty code")]
    public void Malformed_lookup_csv_is_rejected_with_its_line(string csv, string expected)
    {
        var act = () => IncidentsLoadPlan.ReadLookups(new StringReader(csv), "lookups.csv");

        act.Should().Throw<DoppelException>().WithMessage(expected);
    }

    [Fact]
    public void Lookup_csv_accepts_quoted_labels()
    {
        var rows = IncidentsLoadPlan.ReadLookups(new StringReader("kind,code,label\r\ntype,X,\"Fire, \"\"big\"\"\"\r\n"), "x");

        rows.Should().ContainSingle().Which.Should().Be(new LookupRow("type", "X", "Fire, \"big\""));
    }

    [Fact]
    public void Load_sql_has_every_section_the_plan_runs()
    {
        var sections = IncidentsLoadPlan.ParseSections(IncidentsLoadPlan.LoadSql);

        sections.Keys.Should().BeEquivalentTo(
            "step lookups",
            "check stations", "step stations", "dups stations",
            "check incidents", "check incidents_geometry", "step incidents", "dups incidents",
            "check incident_units", "step incident_units", "dups incident_units",
            "check incident_assets", "step incident_assets", "dups incident_assets",
            "check incident_notes", "step incident_notes", "dups incident_notes");
    }

    [Theory]
    [InlineData(42.6, -5.6, 5, "ezs42")]
    [InlineData(57.64911, 10.40744, 11, "u4pruydqqvj")]
    [InlineData(51.5007, -0.1246, 9, "gcpuvpmm2")]
    [InlineData(-33.8568, 151.2153, 8, "r3gx2ux9")]
    [InlineData(0, 0, 6, "s00000")]
    public void Test_geohash_encoder_matches_the_domain_reference_vectors(double lat, double lng, int length, string expected) =>
        Geohash.Encode(lat, lng, length).Should().Be(expected);

    private Task<object?> Scalar(string sql) => TestDatabase.ScalarAsync(sql, searchPath: _schema);

    private static string StagedValue(IncidentsData data, int incident, string column) =>
        data.Incidents(incident + 1).First()[column].GetString(incident);
}
