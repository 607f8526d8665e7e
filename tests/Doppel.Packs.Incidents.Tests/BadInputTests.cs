using static Doppel.Packs.Incidents.Tests.TestSupport;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>Bad input: one clear line naming the option or the file line, exit code 2 (3 for an unreachable database), nothing written.</summary>
public sealed class BadInputTests
{
    private static (CliResult Result, string Dir) Fail(params string[] extra)
    {
        var dir = TempDir();
        var r = Run(["generate", "incidents", "--out", dir, "--start-datetime", Start, "--incident-count", "50", .. extra]);
        return (r, dir);
    }

    [Theory]
    [InlineData("--geohash-precision", "2", "--geohash-precision 2 is out of range: geohash_precision must be 3 to 12")]
    [InlineData("--geohash-precision", "13", "--geohash-precision 13 is out of range: geohash_precision must be 3 to 12")]
    [InlineData("--assets-probability", "1.5", "--assets-probability 1.5 is out of range: assets_probability must be 0 to 1")]
    [InlineData("--notes-probability", "-0.1", "--notes-probability -0.1 is out of range: notes_probability must be 0 to 1")]
    [InlineData("--window-days", "0", "--window-days 0 is out of range: window_days must be 1 to 36600")]
    [InlineData("--station-count", "0", "--station-count 0 is out of range: station_count must be 1 to 100000")]
    public void An_option_out_of_range_is_named(string flag, string value, string message)
    {
        var (r, dir) = Fail(flag, value);

        r.Code.Should().Be(2);
        r.Err.Should().StartWith("error: " + message);
        r.Err.Trim().Split('\n').Should().HaveCount(1, "one line, no stack trace");
        Directory.Exists(dir).Should().BeFalse("nothing is written");
    }

    [Fact]
    public void The_same_check_applies_to_set_params()
    {
        var (r, _) = Fail("--set", "geohash_precision=99");

        r.Code.Should().Be(2);
        r.Err.Should().Contain("geohash_precision must be 3 to 12");
    }

    [Fact]
    public void Units_min_above_units_max_is_rejected()
    {
        var (r, dir) = Fail("--units-min", "4", "--units-max", "2");

        // The recipe's own check (checks: in incidents.recipe.yaml), so a copy made with 'doppel init' keeps it.
        r.Code.Should().Be(2);
        r.Err.Should().Contain("incidents.recipe.yaml:").And.Contain("error: check failed: units per incident must satisfy units_min ≤ units_max (here units_max=2, units_min=4)")
            .And.Contain("hint: change --units-max or --units-min");
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_param()
    {
        var (r, _) = Fail("--incident-count", "lots");

        r.Code.Should().Be(2);
        r.Err.Should().Contain("parameter 'incident_count'").And.Contain("must be a whole number, not 'lots'");
    }

    [Fact]
    public void A_start_that_is_not_a_timestamp_names_the_param()
    {
        var (r, _) = Fail("--start-datetime", "yesterday");

        r.Code.Should().Be(2);
        r.Err.Should().Contain("parameter 'start_datetime'").And.Contain("ISO 8601");
    }

    [Fact]
    public void An_unknown_output_format_is_rejected()
    {
        var (r, _) = Fail("--output-format", "xlsx");

        r.Code.Should().Be(2);
        r.Err.Trim().Should().Be("error: --output-format 'xlsx' is not one of csv, parquet");
    }

    [Fact]
    public void An_unknown_service_area_is_rejected_with_a_suggestion()
    {
        var (r, _) = Fail("--service-area", "seatle");

        r.Code.Should().Be(2);
        r.Err.Trim().Should().StartWith("error: --service-area 'seatle' is not one of denver, seattle,").And.EndWith("(did you mean 'seattle'?)");
    }

    [Theory]
    [InlineData("kind,code\ntype,X\n", "my.csv:1: expected the header 'kind,code,label' or 'kind,code,label,weight', found 'kind,code'")]
    [InlineData("kind,code,label\ntype,A,Alpha\ncolour,RED,Red\n", "my.csv:3: unknown kind 'colour'; expected one of type, severity, status, source, weather")]
    [InlineData("kind,code,label\ntype,A,Alpha\ntype,A,Again\n", "my.csv:3: duplicate type code 'A'")]
    [InlineData("kind,code,label\ntype,,Empty\n", "my.csv:2: empty code")]
    [InlineData("kind,code,label,weight\ntype,A,Alpha,heavy\n", "my.csv:2: weight 'heavy' is not a number ≥ 0")]
    [InlineData("kind,code,label\ntype,A,Alpha,extra\n", "my.csv:2: expected 3 fields (kind,code,label), found 4")]
    [InlineData("kind,code,label\ntype,A,Alpha\n", "my.csv: no 'severity' code with a weight > 0; the file needs codes of every kind (type, severity, status, source, weather)")]
    [InlineData("", "my.csv:1: the file is empty")]
    public void A_malformed_lookups_file_is_reported_with_its_line(string csv, string message)
    {
        var folder = Path.GetDirectoryName(TempDir())!;
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "my.csv"), csv);
        var (r, dir) = Fail("--lookups", Path.Combine(folder, "my.csv"));

        r.Code.Should().Be(2);
        r.Err.Trim().Should().StartWith("error: " + Path.Combine(folder, message));
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public void A_missing_lookups_file_is_named()
    {
        var (r, _) = Fail("--lookups", "/nonexistent/lookups.csv");

        r.Code.Should().Be(2);
        r.Err.Should().StartWith("error: cannot read the lookups file '/nonexistent/lookups.csv'");
    }

    [Fact]
    public void An_unreachable_database_fails_cleanly_and_writes_no_file()
    {
        var (r, dir) = Fail("--sink", "postgres://nobody@127.0.0.1:1/doppel");

        r.Code.Should().Be(3);
        r.Err.Trim().Should().Be("error: Cannot connect to PostgreSQL at 127.0.0.1:1/doppel: Connection refused; check --sink / DATABASE_URL");
        Directory.Exists(dir).Should().BeFalse("files are renamed into place only after the load commits");
    }

    [Fact]
    public void A_shard_cannot_be_loaded_into_a_database_on_its_own()
    {
        var (r, dir) = Fail("--sink", "postgres://nobody@127.0.0.1:1/doppel", "--shard", "0/2");

        r.Code.Should().Be(2);
        r.Err.Should().StartWith("error: --shard 0/2 cannot be combined with --sink");
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public void A_bare_postgres_sink_without_database_url_says_what_to_set()
    {
        var (r, _) = Fail("--sink", "postgres");

        r.Code.Should().Be(2);
        r.Err.Should().Contain("set DATABASE_URL");
    }
}
