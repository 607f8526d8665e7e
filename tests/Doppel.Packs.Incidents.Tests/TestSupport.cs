using System.Globalization;
using Doppel.Validation;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>Runs the CLI in-process and reads what it wrote.</summary>
public static class TestSupport
{
    /// <summary>A fixed window end, so runs do not depend on the day the tests run.</summary>
    public const string Start = "2026-03-01T00:00:00Z";

    /// <summary>The seed's column names, in the seed's order (shared/seeds/003).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> SeedColumns = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["stations"] = ["station_code", "name", "battalion", "address_line_1", "address_line_2", "city", "region", "postal_code", "phone", "is_active", "commissioned_on", "decommissioned_on", "response_zone_code", "location_lat", "location_lng", "location_wkt", "coverage_radius_meters", "created_at", "updated_at"],
        ["incidents"] = ["incident_number", "external_reference", "title", "narrative", "type_code", "severity_code", "status_code", "source_code", "weather_condition_code", "primary_station_code", "occurrence_at", "reported_at", "dispatch_at", "arrival_at", "resolved_at", "location_lat", "location_lng", "location_wkt", "location_geohash", "address_line_1", "address_line_2", "city", "region", "postal_code", "casualty_count", "responder_injuries", "estimated_damage_amount", "is_active", "metadata"],
        ["incident_units"] = ["incident_number", "station_code", "assignment_role", "dispatched_at", "cleared_at"],
        ["incident_assets"] = ["incident_number", "asset_identifier", "asset_type", "status", "notes"],
        ["incident_notes"] = ["incident_number", "author", "note", "created_at"],
    };

    public static string TempDir(string name = "run")
    {
        var d = Path.Combine(Path.GetTempPath(), "doppel-incidents-tests", Guid.NewGuid().ToString("N")[..12], name);
        Directory.CreateDirectory(Path.GetDirectoryName(d)!);
        return d;
    }

    public sealed record CliResult(int Code, string Out, string Err);

    public static CliResult Run(IReadOnlyDictionary<string, string?>? env, params string[] argv)
    {
        using var o = new StringWriter(CultureInfo.InvariantCulture);
        using var e = new StringWriter(CultureInfo.InvariantCulture);
        var code = Cli.Cli.RunAsync(argv, o, e, env ?? new Dictionary<string, string?>(), CancellationToken.None).GetAwaiter().GetResult();
        return new CliResult(code, o.ToString(), e.ToString());
    }

    public static CliResult Run(params string[] argv) => Run(null, argv);

    /// <summary>Generates into a fresh directory and fails the test with the CLI's stderr on a non-zero exit.</summary>
    public static string Generate(params string[] extra)
    {
        var dir = TempDir();
        var r = Run(["generate", "incidents", "--out", dir, "--start-datetime", Start, "--quiet", .. extra]);
        r.Code.Should().Be(0, r.Err);
        return dir;
    }

    /// <summary>A CSV table as header + rows; an empty unquoted field is null (how Doppel writes nulls).</summary>
    public sealed class Table(string[] header, List<string?[]> rows)
    {
        private readonly Dictionary<string, int> _index = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);

        public string[] Header => header;

        public List<string?[]> Rows => rows;

        public int Count => rows.Count;

        public string? this[int row, string column] => rows[row][_index[column]];

        public int Col(string column) => _index[column];

        public IEnumerable<string?> Column(string column)
        {
            var i = _index[column];
            return rows.Select(r => r[i]);
        }
    }

    public static Table ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        string[]? header = null;
        var rows = new List<string?[]>();
        foreach (var (_, fields, quoted) in SimpleCsv.Read(reader))
        {
            if (header is null)
            {
                header = fields;
                continue;
            }

            rows.Add(fields.Select((f, i) => f.Length == 0 && !quoted[i] ? null : f).ToArray());
        }

        return new Table(header ?? [], rows);
    }

    public static DateTime Ts(string? s) => DateTime.Parse(s!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static double D(string? s) => double.Parse(s!, CultureInfo.InvariantCulture);

    public static long L(string? s) => long.Parse(s!, CultureInfo.InvariantCulture);
}
