namespace Doppel.Packs.Clinical.Tests;

/// <summary>Bad input: one clear error each, nothing half-written, the registry never left corrupt.</summary>
public class BadInputTest
{
    private static string[] Args(string root, params string[] extra) => ["generate", "clinical", "--out", root, "--quiet", "--set", "encounters_per_day=20", .. extra];

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("14/03/2026")]
    [InlineData("yesterday")]
    public void An_invalid_date_is_a_usage_error_and_writes_nothing(string date)
    {
        var root = Harness.TempDir();
        var (code, _, err) = Harness.Run(Args(root, "--date", date));

        code.Should().Be(2);
        err.Should().Contain($"parameter 'date'").And.Contain("YYYY-MM-DD").And.Contain(date);
        Directory.EnumerateFileSystemEntries(root).Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_mode_is_a_usage_error_with_a_suggestion()
    {
        var root = Harness.TempDir();
        var (code, _, err) = Harness.Run(Args(root, "--date", "2026-03-14", "--mode", "sampel"));

        code.Should().Be(2);
        err.Should().Contain("must be one of raw, sample").And.Contain("did you mean 'sample'");
        Directory.EnumerateFileSystemEntries(root).Should().BeEmpty();
    }

    [Fact]
    public void A_date_before_the_registry_epoch_is_refused()
    {
        var root = Harness.TempDir();
        var (code, _, err) = Harness.Run(Args(root, "--date", "2025-12-31"));

        code.Should().Be(2);
        err.Should().Contain("check failed: the registry does not exist before registry_epoch").And.Contain("(here date=2025-12-31, registry_epoch=2026-01-01)");
        Directory.EnumerateFileSystemEntries(root).Should().BeEmpty();
    }

    [Fact]
    public void A_bad_scenario_mix_names_the_scenario_and_suggests_one()
    {
        var (code, _, err) = Harness.Run(Args(Harness.TempDir(), "--date", "2026-03-14", "--set", "scenario_mix=sepsis:10,strok:5"));
        code.Should().Be(2);
        err.Should().Contain("unknown scenario 'strok'").And.Contain("stroke");

        (code, _, err) = Harness.Run(Args(Harness.TempDir(), "--date", "2026-03-14", "--set", "scenario_mix=sepsis:0"));
        code.Should().Be(2);
        err.Should().Contain("no scenario a positive weight");
    }

    [Fact]
    public void An_unwritable_output_folder_is_a_runtime_error_and_leaves_nothing_behind()
    {
        var root = Harness.TempDir();
        var blocker = Path.Combine(root, "blocker");
        File.WriteAllText(blocker, "a file where a folder should be");

        var (code, _, err) = Harness.Run(Args(Path.Combine(blocker, "out"), "--date", "2026-03-14"));

        code.Should().Be(3);
        err.Should().Contain("Cannot write to").And.Contain("blocker");
        Directory.EnumerateFileSystemEntries(root).Should().Equal(blocker);
    }

    [Fact]
    public void An_unwritable_registry_folder_stops_the_run_before_the_day_is_written()
    {
        var root = Harness.TempDir();
        File.WriteAllText(Path.Combine(root, "state"), "not a folder");

        var (code, _, err) = Harness.Run(Args(root, "--date", "2026-03-14"));

        code.Should().Be(3);
        err.Should().Contain("state");
        Directory.Exists(Path.Combine(root, "data")).Should().BeFalse("the empty day folder made by the check is removed");
    }

    [Fact]
    public void A_tampered_registry_is_reported_with_file_line_and_field_and_left_as_it_was()
    {
        var root = Harness.TempDir();
        Harness.Run(Args(root, "--date", "2026-03-14")).Code.Should().Be(0);
        var registry = Path.Combine(root, "state", "patients_master.csv");
        var lines = File.ReadAllLines(registry);
        var fields = lines[4].Split(',');
        fields[2] = "Mallory";
        lines[4] = string.Join(',', fields);
        File.WriteAllText(registry, string.Join('\n', lines) + "\n");
        var before = File.ReadAllBytes(registry);

        var (code, _, err) = Harness.Run(Args(root, "--date", "2026-03-15"));

        code.Should().Be(3);
        err.Should().Contain("patients_master.csv:5").And.Contain("first_name is 'Mallory'").And.Contain("delete it");
        File.ReadAllBytes(registry).Should().Equal(before);
        Directory.Exists(Harness.DayDir(root, "2026-03-15")).Should().BeFalse();
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("header")]
    [InlineData("extra field")]
    public void A_damaged_registry_file_is_reported_not_trusted(string damage)
    {
        var root = Harness.TempDir();
        Harness.Run(Args(root, "--date", "2026-03-14")).Code.Should().Be(0);
        var registry = Path.Combine(root, "state", "patients_master.csv");
        var text = File.ReadAllText(registry);
        File.WriteAllText(registry, damage switch
        {
            "truncated" => text[..(text.Length - 9)],
            "empty" => string.Empty,
            "header" => text.Replace("patient_id,", "id,", StringComparison.Ordinal),
            _ => text.Replace("\nP0000007,", "\nP0000007,x,", StringComparison.Ordinal),
        });

        var (code, _, err) = Harness.Run(Args(root, "--date", "2026-03-14"));

        code.Should().Be(3, damage);
        err.Should().Contain("patients_master.csv:");
    }

    [Fact]
    public void A_deleted_registry_is_rebuilt_identically()
    {
        var root = Harness.TempDir();
        Harness.Run(Args(root, "--date", "2026-03-20")).Code.Should().Be(0);
        var registry = Path.Combine(root, "state", "patients_master.csv");
        var before = File.ReadAllBytes(registry);
        File.Delete(registry);

        Harness.Run(Args(root, "--date", "2026-03-20")).Code.Should().Be(0);

        File.ReadAllBytes(registry).Should().Equal(before);
        Directory.GetFiles(Path.GetDirectoryName(registry)!).Should().ContainSingle("no temp file is left beside the registry");
    }

    [Fact]
    public void A_dry_run_describes_the_day_and_writes_nothing()
    {
        var root = Harness.TempDir();
        var (code, output, _) = Harness.Run(Args(root, "--date", "2026-03-14", "--dry-run"));

        code.Should().Be(0);
        output.Should().Contain("clinical 2026-03-14 (raw)").And.Contain("2,440 patients").And.Contain("notes");
        Directory.EnumerateFileSystemEntries(root).Should().BeEmpty();
    }

    [Fact]
    public void Without_a_date_today_in_utc_is_used_and_recorded_in_the_manifest()
    {
        var root = Harness.TempDir();
        var before = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (code, _, err) = Harness.Run("generate", "clinical", "--out", root, "--set", "encounters_per_day=5");
        var after = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        code.Should().Be(0, err);
        var used = Directory.GetDirectories(Path.Combine(root, "data", "raw")).Select(Path.GetFileName).Single();
        used.Should().BeOneOf(before, after);
        err.Should().Contain($"using today (UTC): {used}");
        File.ReadAllText(Path.Combine(root, "data", "raw", used!, "manifest.json")).Should().Contain($"\"date\": \"{used}\"");
    }

    [Fact]
    public void Describe_documents_every_option()
    {
        var (code, output, _) = Harness.Run("describe", "clinical");

        code.Should().Be(0);
        foreach (var option in new[] { "encounters_per_day", "new_patients_per_day", "max_total", "scenario_mix", "seed", "date", "mode", "registry", "initial_patients", "registry_epoch", "complication_rate" })
        {
            output.Should().Contain(option);
        }
    }
}
