using System.Globalization;
using System.Text;
using Npgsql;
using static Doppel.Packs.Incidents.Tests.TestSupport;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>The real PostgreSQL + PostGIS the tests load into (start it with .ci/services/postgres.sh).</summary>
internal static class TestDatabase
{
    public const string EnvironmentVariable = "DOPPEL_TEST_PG";
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=doppel";

    public static string ConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs : DefaultConnectionString;

    /// <summary>A fresh schema name per test.</summary>
    public static string NewSchema(string prefix) => $"t_inc_{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 18)];

    /// <summary>The --sink value for <paramref name="schema"/>, in the keyword spelling (the incidents plan is added by the pack command).</summary>
    public static string Sink(string schema) => $"{ConnectionString};Schema={schema}";

    public static async Task<NpgsqlConnection> ConnectAsync()
    {
        var c = new NpgsqlConnection(ConnectionString);
        try
        {
            await c.OpenAsync();
            return c;
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await c.DisposeAsync();
            throw new InvalidOperationException($"PostgreSQL for tests is not reachable ({EnvironmentVariable} or default '{DefaultConnectionString}'): {ex.Message}. Start it with .ci/services/postgres.sh", ex);
        }
    }

    public static async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var c = await ConnectAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static async Task<object?> ScalarAsync(string sql) => (await QueryAsync(sql)).FirstOrDefault()?[0];

    public static async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), CultureInfo.InvariantCulture);

    public static async Task ExecuteAsync(string sql)
    {
        await using var c = await ConnectAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    public static Task DropAsync(string schema) => ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");

    /// <summary>An order-independent fingerprint of every table in the schema (contents and ids), for before/after comparisons.</summary>
    public static async Task<string> FingerprintAsync(string schema)
    {
        var tables = (await QueryAsync($"SELECT table_name::text FROM information_schema.tables WHERE table_schema = '{schema}' ORDER BY 1")).Select(r => (string)r[0]!).ToList();
        var sb = new StringBuilder();
        foreach (var t in tables)
        {
            sb.Append(t).Append(' ').Append(await ScalarAsync($"SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM \"{schema}\".\"{t}\" x")).Append('\n');
        }

        return sb.ToString();
    }
}

/// <summary>Loading into real PostgreSQL + PostGIS with <c>--sink</c>: DDL, binary COPY, code joins, one transaction.</summary>
public sealed class PostgisTests : IAsyncLifetime
{
    private readonly string _schema = TestDatabase.NewSchema("load");

    public async Task InitializeAsync() => await TestDatabase.DropAsync(_schema);

    public async Task DisposeAsync() => await TestDatabase.DropAsync(_schema);

    private string Load(string outDir, params string[] extra)
    {
        var r = Run(["generate", "incidents", "--sink", TestDatabase.Sink(_schema), "--out", outDir, "--start-datetime", Start, "--incident-count", "4000", "--seed", "3", .. extra]);
        r.Code.Should().Be(0, r.Err);
        return r.Out;
    }

    private string Q(string table) => $"\"{_schema}\".{table}";

    [Fact]
    public async Task A_load_has_the_files_rows_valid_geometry_and_codes_resolved_by_joins()
    {
        var dir = TempDir();
        var output = Load(dir);
        output.Should().Contain($"loaded into postgres://postgres@127.0.0.1:55432/doppel?schema={_schema} (plan incidents)".Replace("127.0.0.1:55432", new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) is var b ? $"{b.Host}:{b.Port}" : string.Empty, StringComparison.Ordinal));

        foreach (var t in SeedColumns.Keys)
        {
            (await TestDatabase.CountAsync($"SELECT count(*) FROM {Q(t)}")).Should().Be(ReadCsv(Path.Combine(dir, t + ".csv")).Count, t);
        }

        foreach (var t in new[] { "stations", "incidents" })
        {
            (await TestDatabase.CountAsync($"SELECT count(*) FROM {Q(t)} WHERE location IS NULL OR NOT ST_IsValid(location) OR ST_SRID(location) <> 4326 OR GeometryType(location) <> 'POINT'")).Should().Be(0, $"every {t} geometry is a valid SRID 4326 point");
        }

        (await TestDatabase.CountAsync($"SELECT count(*) FROM {Q("incidents")} WHERE ST_GeoHash(location, 8) <> location_geohash")).Should().Be(0, "PostGIS computes the same geohash");
        (await TestDatabase.CountAsync($"""
            SELECT count(*) FROM {Q("incidents")} i JOIN {Q("stations")} s ON s.id = i.primary_station_id
            WHERE NOT ST_DWithin(i.location::geography, s.location::geography, s.coverage_radius_meters * 1.01)
            """)).Should().Be(0, "incidents lie within their station's coverage radius (1% for the spheroid vs our sphere)");

        // Every code resolves by a join back to the generated code.
        var joined = await TestDatabase.QueryAsync($"""
            SELECT i.incident_number, t.code, sv.code, st.code, so.code, w.code, s.station_code, ST_X(i.location), ST_Y(i.location)
            FROM {Q("incidents")} i
            JOIN {Q("incident_types")} t ON t.id = i.type_id
            JOIN {Q("incident_severities")} sv ON sv.id = i.severity_id
            JOIN {Q("incident_statuses")} st ON st.id = i.status_id
            JOIN {Q("incident_sources")} so ON so.id = i.source_id
            LEFT JOIN {Q("weather_conditions")} w ON w.id = i.weather_condition_id
            JOIN {Q("stations")} s ON s.id = i.primary_station_id
            ORDER BY i.incident_number
            """);
        var csv = ReadCsv(Path.Combine(dir, "incidents.csv"));
        joined.Should().HaveCount(csv.Count);
        for (var r = 0; r < csv.Count; r++)
        {
            joined[r].Take(7).Should().Equal(
                [csv[r, "incident_number"], csv[r, "type_code"], csv[r, "severity_code"], csv[r, "status_code"], csv[r, "source_code"], csv[r, "weather_condition_code"], csv[r, "primary_station_code"]]);
            ((double)joined[r][7]!).Should().Be(D(csv[r, "location_lng"]), "x is the longitude");
            ((double)joined[r][8]!).Should().Be(D(csv[r, "location_lat"]), "y is the latitude");
        }

        var units = await TestDatabase.QueryAsync($"""
            SELECT i.incident_number, s.station_code, u.assignment_role FROM {Q("incident_units")} u
            JOIN {Q("incidents")} i ON i.id = u.incident_id JOIN {Q("stations")} s ON s.id = u.station_id
            """);
        units.Select(u => $"{u[0]}|{u[1]}|{u[2]}").Should().BeEquivalentTo(ReadCsv(Path.Combine(dir, "incident_units.csv")).Rows.Select(u => $"{u[0]}|{u[1]}|{u[2]}"));
        (await TestDatabase.CountAsync($"SELECT count(*) FROM {Q("incident_notes")} n JOIN {Q("incidents")} i ON i.id = n.incident_id")).Should().Be(ReadCsv(Path.Combine(dir, "incident_notes.csv")).Count);
        (await TestDatabase.CountAsync($"SELECT count(*) FROM {Q("incident_types")}")).Should().Be(IncidentLookups.BuiltIn.Count(l => l.Kind == "type"));
        (await TestDatabase.ScalarAsync($"SELECT label FROM {Q("incident_sources")} WHERE code = 'PHONE_911'")).Should().Be("911 phone call");
    }

    [Fact]
    public async Task A_rerun_of_the_same_data_changes_nothing()
    {
        Load(TempDir());
        var before = await TestDatabase.FingerprintAsync(_schema);

        var second = Load(TempDir());

        (await TestDatabase.FingerprintAsync(_schema)).Should().Be(before);
        second.Should().Contain("incidents: 4,000 rows staged, 0 written");
    }

    [Fact]
    public async Task A_failure_during_the_merge_rolls_everything_back()
    {
        Load(TempDir());
        // Injected failure: notes of the next run violate a constraint that existing rows are not checked against.
        await TestDatabase.ExecuteAsync($"ALTER TABLE {Q("incident_notes")} ADD CONSTRAINT injected_failure CHECK (note = 'never') NOT VALID");
        var before = await TestDatabase.FingerprintAsync(_schema);
        var dir = TempDir();

        var r = Run("generate", "incidents", "--sink", TestDatabase.Sink(_schema), "--out", dir, "--start-datetime", Start, "--incident-count", "4500", "--seed", "4");

        r.Code.Should().Be(3);
        r.Err.Should().Contain("injected_failure").And.Contain("nothing was committed");
        (await TestDatabase.FingerprintAsync(_schema)).Should().Be(before, "stations, incidents and units merged before the notes were rolled back too");
        (Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories) : []).Should().BeEmpty("files, temporary ones included, are not kept when the load fails");
    }

    [Fact]
    public async Task A_cancelled_load_rolls_back()
    {
        Load(TempDir());
        var before = await TestDatabase.FingerprintAsync(_schema);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        using var o = new StringWriter(CultureInfo.InvariantCulture);
        using var e = new StringWriter(CultureInfo.InvariantCulture);

        var code = await Cli.Cli.RunAsync(["generate", "incidents", "--sink", TestDatabase.Sink(_schema), "--start-datetime", Start, "--incident-count", "300000", "--seed", "9", "--quiet"], o, e, new Dictionary<string, string?>(), cts.Token);

        code.Should().Be(130, e.ToString());
        (await TestDatabase.FingerprintAsync(_schema)).Should().Be(before);
    }

    [Fact]
    public async Task A_failure_in_a_new_schema_leaves_no_table_behind()
    {
        // A table in the way (wrong shape) makes the merge fail after the DDL, the lookups and the COPY ran.
        await TestDatabase.ExecuteAsync($"CREATE SCHEMA \"{_schema}\"; CREATE TABLE {Q("incident_assets")} (incident_id bigint, junk int)");

        var r = Run("generate", "incidents", "--sink", TestDatabase.Sink(_schema), "--start-datetime", Start, "--incident-count", "300", "--quiet");

        r.Code.Should().Be(3, r.Err);
        r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1);
        var tables = (await TestDatabase.QueryAsync($"SELECT table_name::text FROM information_schema.tables WHERE table_schema = '{_schema}'")).Select(x => x[0]).ToList();
        tables.Should().Equal(["incident_assets"], "the DDL of the failed run was rolled back with everything else");
    }

    [Fact]
    public async Task A_bare_postgres_sink_reads_database_url_and_loads_the_users_lookups()
    {
        var file = Path.Combine(Path.GetDirectoryName(TempDir())!, "lk.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "kind,code,label\ntype,DRONE_SIGHTING,Drone sighting\nseverity,P1,Priority one\nstatus,CLOSED,Closed\nsource,RADIO,Radio\nweather,CLEAR,Clear\n");
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = TestDatabase.Sink(_schema) };

        var r = Run(env, "generate", "incidents", "--sink", "postgres", "--start-datetime", Start, "--incident-count", "200", "--lookups", file, "--no-include-notes");

        r.Code.Should().Be(0, r.Err);
        r.Out.Should().Contain("no files written");
        (await TestDatabase.CountAsync($"SELECT count(*) FROM {Q("incidents")} i JOIN {Q("incident_types")} t ON t.id = i.type_id WHERE t.code = 'DRONE_SIGHTING'")).Should().Be(200);
        (await TestDatabase.ScalarAsync($"SELECT label FROM {Q("incident_severities")} WHERE code = 'P1'")).Should().Be("Priority one");
        (await TestDatabase.CountAsync($"SELECT count(*) FROM {Q("incident_notes")}")).Should().Be(0, "--no-include-notes loads no notes");
    }
}
