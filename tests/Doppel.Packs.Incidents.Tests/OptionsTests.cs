using System.Globalization;
using System.Text.Json;
using static Doppel.Packs.Incidents.Tests.TestSupport;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>The seed's options, as its flag names and as <c>--set</c> params, and their effects.</summary>
public sealed class OptionsTests
{
    private static readonly string[] SeedFlags =
    [
        "--incident-count", "--station-count", "--output-format", "--window-days", "--start-datetime", "--include-units", "--include-assets",
        "--include-notes", "--units-min", "--units-max", "--assets-probability", "--notes-probability", "--geohash-precision", "--verbose", "--output-dir",
    ];

    private static JsonElement Params(string dir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).RootElement.GetProperty("params").Clone();

    [Fact]
    public void Describe_documents_every_param_with_its_seed_flag()
    {
        var r = Run("describe", "incidents");

        r.Code.Should().Be(0, r.Err);
        foreach (var flag in SeedFlags)
        {
            r.Out.Should().Contain(flag);
        }

        foreach (var name in new[] { "incident_count", "station_count", "output_format", "window_days", "start_datetime", "include_units", "include_assets", "include_notes", "units_min", "units_max", "assets_probability", "notes_probability", "geohash_precision" })
        {
            r.Out.Should().MatchRegex($"(?m)^  {name} +");
        }

        foreach (var table in SeedColumns.Keys)
        {
            r.Out.Should().Contain($"table {table} ");
        }
    }

    [Fact]
    public void Seed_flags_and_set_params_give_identical_runs()
    {
        var outDir = TempDir("flags");
        var byFlags = Run("generate", "incidents", "--output-dir", outDir, "--incident-count", "300", "--station-count", "4", "--seed", "5", "--window-days", "10",
            "--start-datetime", "2025-07-04T12:00:00Z", "--no-include-assets", "--include-notes", "--units-min", "2", "--units-max", "2", "--notes-probability", "1",
            "--assets-probability", "0.9", "--geohash-precision", "5", "--no-verbose", "--output-format", "csv", "--quiet");
        byFlags.Code.Should().Be(0, byFlags.Err);

        var setDir = TempDir("set");
        var bySet = Run("generate", "incidents", "--out", setDir, "--seed", "5", "--quiet", "--set", "incident_count=300", "--set", "station_count=4", "--set", "window_days=10",
            "--set", "start_datetime=2025-07-04T12:00:00Z", "--set", "include_assets=false", "--set", "include_notes=true", "--set", "units_min=2", "--set", "units_max=2",
            "--set", "notes_probability=1", "--set", "assets_probability=0.9", "--set", "geohash_precision=5", "--set", "progress=false", "--set", "output_format=csv", "--set", $"output_dir={outDir}");
        bySet.Code.Should().Be(0, bySet.Err);

        foreach (var t in new[] { "stations", "incidents", "incident_units", "incident_notes" })
        {
            File.ReadAllBytes(Path.Combine(setDir, t + ".csv")).Should().Equal(File.ReadAllBytes(Path.Combine(outDir, t + ".csv")), t);
        }

        File.Exists(Path.Combine(outDir, "incident_assets.csv")).Should().BeFalse("--no-include-assets drops the table");
        var incidents = ReadCsv(Path.Combine(outDir, "incidents.csv"));
        incidents.Count.Should().Be(300);
        incidents.Column("location_geohash").Should().OnlyContain(h => h!.Length == 5);
        incidents.Column("occurrence_at").Select(Ts).Should().OnlyContain(t => t >= new DateTime(2025, 6, 24, 12, 0, 0, DateTimeKind.Utc) && t <= new DateTime(2025, 7, 4, 12, 0, 0, DateTimeKind.Utc));
        var units = ReadCsv(Path.Combine(outDir, "incident_units.csv"));
        units.Rows.GroupBy(u => u[0]).Should().OnlyContain(g => g.Count() == 2);
        ReadCsv(Path.Combine(outDir, "incident_notes.csv")).Column("incident_number").Distinct().Should().HaveCount(300, "notes_probability 1 gives every incident notes");
        var p = Params(outDir);
        p.GetProperty("start_datetime").GetString().Should().Be("2025-07-04T12:00:00Z");
        p.GetProperty("progress").GetString().Should().Be("false");
    }

    [Fact]
    public void Parquet_output_is_chosen_by_the_seed_flag()
    {
        var dir = Generate("--incident-count", "50", "--output-format", "parquet");

        Directory.GetFiles(dir, "*.parquet").Select(Path.GetFileName).Should().BeEquivalentTo(SeedColumns.Keys.Select(t => t + ".parquet"));
        Directory.GetFiles(dir, "*.csv").Should().BeEmpty();
    }

    [Fact]
    public void The_default_start_is_today_at_midnight_utc_and_is_recorded()
    {
        var dir = TempDir();
        var before = DateTime.UtcNow.Date;
        var r = Run("generate", "incidents", "--out", dir, "--incident-count", "20", "--quiet");
        r.Code.Should().Be(0, r.Err);

        var start = Ts(Params(dir).GetProperty("start_datetime").GetString());
        start.Should().BeOneOf(before, DateTime.UtcNow.Date);
        ReadCsv(Path.Combine(dir, "incidents.csv")).Column("occurrence_at").Select(Ts).Should().OnlyContain(t => t <= start && t >= start.AddDays(-90));
    }

    [Fact]
    public void The_output_dir_defaults_to_the_seeds_data_generated()
    {
        var r = Run("generate", "incidents", "--dry-run", "--incident-count", "5");

        r.Code.Should().Be(0, r.Err);
        r.Out.Should().Contain(Path.GetFullPath(Path.Combine("data", "generated")));
    }

    [Fact]
    public void A_users_lookup_file_replaces_the_codes_and_labels()
    {
        var file = Path.Combine(Path.GetDirectoryName(TempDir())!, "my-lookups.csv");
        File.WriteAllText(file, """
            kind,code,label
            type,DRONE_SIGHTING,Drone sighting
            type,"SMOKE_CHECK","Smoke check, outdoor"
            severity,P1,Priority one
            status,REPORTED,Reported
            status,CLOSED,Closed
            source,RADIO,Radio
            weather,CLEAR,Clear
            """);

        var dir = Generate("--incident-count", "400", "--lookups", file);

        var incidents = ReadCsv(Path.Combine(dir, "incidents.csv"));
        incidents.Column("type_code").Distinct().Should().BeEquivalentTo(["DRONE_SIGHTING", "SMOKE_CHECK"], "no weight column: codes are uniform");
        incidents.Column("severity_code").Should().OnlyContain(c => c == "P1");
        incidents.Column("source_code").Should().OnlyContain(c => c == "RADIO");
        incidents.Column("title").Should().Contain(t => t!.StartsWith("Smoke check, outdoor at ", StringComparison.Ordinal));
        incidents.Column("narrative").Should().OnlyContain(n => n!.StartsWith("Incident reported", StringComparison.Ordinal), "types without templates get the generic narrative");
        Params(dir).GetProperty("lookups").GetString().Should().Be(file);
    }

    [Theory]
    [InlineData(new[] { "--threads", "1" }, new[] { "--threads", "3" })]
    [InlineData(new[] { "--threads", "1", "--output-format", "parquet" }, new[] { "--threads", "4", "--output-format", "parquet", "--batch-size", "100" })]
    public void Output_is_byte_identical_for_any_thread_count(string[] a, string[] b)
    {
        var one = Generate(["--incident-count", "1500", .. a]);
        var other = Generate(["--incident-count", "1500", .. b]);

        var files = Directory.GetFiles(one).Select(Path.GetFileName).Where(f => f != "manifest.json").ToList();
        files.Should().HaveCount(5);
        foreach (var f in files)
        {
            File.ReadAllBytes(Path.Combine(other, f!)).Should().Equal(File.ReadAllBytes(Path.Combine(one, f!)), f);
        }
    }

    [Fact]
    public void Concatenated_csv_shards_equal_the_single_run()
    {
        var whole = Generate("--incident-count", "1000");
        var shards = TempDir("shards");
        for (var i = 0; i < 3; i++)
        {
            var r = Run("generate", "incidents", "--out", shards, "--start-datetime", Start, "--quiet", "--incident-count", "1000", "--shard", $"{i}/3");
            r.Code.Should().Be(0, r.Err);
        }

        foreach (var t in SeedColumns.Keys)
        {
            var parts = Enumerable.Range(0, 3).SelectMany(i => File.ReadAllBytes(Path.Combine(shards, $"{t}.shard-{i}-of-3.csv"))).ToArray();
            parts.Should().Equal(File.ReadAllBytes(Path.Combine(whole, t + ".csv")), t);
        }
    }

    [Fact]
    public void Rows_do_not_depend_on_which_optional_tables_are_written()
    {
        var all = Generate("--incident-count", "500");
        var some = Generate("--incident-count", "500", "--no-include-units", "--no-include-notes");

        File.ReadAllBytes(Path.Combine(some, "incidents.csv")).Should().Equal(File.ReadAllBytes(Path.Combine(all, "incidents.csv")));
        File.ReadAllBytes(Path.Combine(some, "incident_assets.csv")).Should().Equal(File.ReadAllBytes(Path.Combine(all, "incident_assets.csv")));
    }

    [Fact]
    public void A_recipe_copied_with_init_generates_the_same_data()
    {
        var folder = TempDir("init");
        Run("init", "incidents", folder).Code.Should().Be(0);
        var copy = TempDir("copy");
        var r = Run("generate", Path.Combine(folder, "incidents.recipe.yaml"), "--out", copy, "--start-datetime", Start, "--incident-count", "300", "--quiet");
        r.Code.Should().Be(0, r.Err);

        var pack = Generate("--incident-count", "300");
        foreach (var t in SeedColumns.Keys)
        {
            File.ReadAllBytes(Path.Combine(copy, t + ".csv")).Should().Equal(File.ReadAllBytes(Path.Combine(pack, t + ".csv")), t);
        }
    }

    [Fact]
    public void Preview_shows_incidents_without_writing()
    {
        var r = Run("preview", "incidents", "--table", "incidents", "--rows", "3", "--set", $"start_datetime={Start}");

        r.Code.Should().Be(0, r.Err);
        r.Out.Should().Contain("INC-00000003");
    }

    [Fact]
    public void Validate_accepts_a_generated_run()
    {
        var dir = Generate("--incident-count", "800");
        var r = Run("validate", dir, "--pack", "incidents");

        r.Code.Should().Be(0, r.Out + r.Err);
        r.Out.Should().Contain("PASSED", "the run's start_datetime comes from its manifest, not from today");
    }

    [Fact]
    public void Each_unit_count_between_min_and_max_is_used()
    {
        var dir = Generate("--incident-count", "2000", "--units-min", "0", "--units-max", "5");
        var counts = ReadCsv(Path.Combine(dir, "incident_units.csv")).Rows.GroupBy(u => u[0]).Select(g => g.Count()).ToHashSet();
        counts.Should().BeEquivalentTo([1, 2, 3, 4, 5], "incidents with 0 units have no rows");

        var zero = Generate("--incident-count", "100", "--units-min", "0", "--units-max", "0");
        ReadCsv(Path.Combine(zero, "incident_units.csv")).Count.Should().Be(0);
        _ = CultureInfo.InvariantCulture;
    }
}
