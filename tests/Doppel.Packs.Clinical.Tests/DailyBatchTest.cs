using System.Globalization;

namespace Doppel.Packs.Clinical.Tests;

/// <summary>The daily contract over 30 consecutive days: contracts, registry growth, reruns, skipped and out-of-order days.</summary>
public class DailyBatchTest
{
    // registry_epoch defaults to 2026-01-01; with 60 + 7/day the 200 cap is reached on 2026-01-21, inside the 30 days.
    private static readonly DateOnly Start = new(2026, 1, 10);
    private static readonly DateOnly Epoch = new(2026, 1, 1);

    private static string Day(int i) => Start.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int ExpectedRegistry(int i) => Math.Min(200, 60 + (7 * (Start.AddDays(i).DayNumber - Epoch.DayNumber)));

    [Fact]
    public void Thirty_consecutive_days_hold_every_contract_and_grow_the_registry_by_the_rule_and_reruns_skips_and_out_of_order_runs_agree()
    {
        var root = Harness.TempDir();
        var registry = Path.Combine(root, "state", "patients_master.csv");
        for (var i = 0; i < 30; i++)
        {
            var (code, _, err) = Harness.Run(Harness.Small(root, Day(i)));
            code.Should().Be(0, err);
            var dir = Harness.DayDir(root, Day(i));
            Directory.GetFiles(dir).Select(Path.GetFileName).Should().BeEquivalentTo(["patients.csv", "encounters.csv", "vitals.csv", "labs.csv", "notes.jsonl", "manifest.json"]);

            var (vcode, vout, _) = Harness.Run("validate", dir, "--pack", "clinical");
            vcode.Should().Be(0, $"day {Day(i)} validates: {vout}");
            vout.Should().Contain("PASSED");

            (File.ReadLines(registry).Count() - 1).Should().Be(ExpectedRegistry(i), $"registry size on {Day(i)}");
            Integrity.Check(dir, registry);
            Harness.ReadCsv(Path.Combine(dir, "encounters.csv")).Should().HaveCount(40).And.OnlyContain(e => e["admit_time"].StartsWith(Day(i), StringComparison.Ordinal), "encounters are admitted on the batch date");
        }

        var inOrder = Harness.Snapshot(root);

        // Rerunning dates (early, capped, last) changes no byte and does not grow the registry twice.
        foreach (var i in new[] { 0, 14, 29, 3 })
        {
            Harness.Run(Harness.Small(root, Day(i))).Code.Should().Be(0);
        }

        Harness.Snapshot(root).Should().BeEquivalentTo(inOrder, o => o.WithStrictOrdering());

        // The same days in a shuffled order give the same files, registry included.
        var shuffled = Harness.TempDir();
        var order = Enumerable.Range(0, 30).OrderBy(i => (i * 17) % 30).ToList();
        order.Should().NotBeInAscendingOrder();
        foreach (var i in order)
        {
            Harness.Run(Harness.Small(shuffled, Day(i))).Code.Should().Be(0);
        }

        SameFiles(Harness.Snapshot(shuffled), inOrder);

        // Skipping days: a day run alone equals the same day run in sequence.
        var skipping = Harness.TempDir();
        foreach (var i in new[] { 5, 22 })
        {
            Harness.Run(Harness.Small(skipping, Day(i))).Code.Should().Be(0);
            SameFiles(Harness.Snapshot(Harness.DayDir(skipping, Day(i))), Harness.Snapshot(Harness.DayDir(root, Day(i))));
        }

        (File.ReadLines(Path.Combine(skipping, "state", "patients_master.csv")).Count() - 1).Should().Be(ExpectedRegistry(22));
        File.ReadLines(Path.Combine(skipping, "state", "patients_master.csv")).Should().Equal(File.ReadLines(registry).Take(ExpectedRegistry(22) + 1), "a shorter registry is a prefix of a longer one");
    }

    private static void SameFiles(SortedDictionary<string, byte[]> actual, SortedDictionary<string, byte[]> expected)
    {
        actual.Keys.Should().Equal(expected.Keys);
        foreach (var (path, bytes) in expected)
        {
            actual[path].SequenceEqual(bytes).Should().BeTrue($"{path} is byte-identical");
        }
    }

    [Fact]
    public void Raw_and_sample_modes_write_the_same_day_to_their_own_folders()
    {
        var root = Harness.TempDir();
        Harness.Run(Harness.Small(root, "2026-03-14", "raw")).Code.Should().Be(0);
        Harness.Run(Harness.Small(root, "2026-03-14", "sample")).Code.Should().Be(0);

        var raw = Harness.DayDir(root, "2026-03-14", "raw");
        var sample = Harness.DayDir(root, "2026-03-14", "sample");
        foreach (var f in new[] { "patients.csv", "encounters.csv", "vitals.csv", "labs.csv", "notes.jsonl" })
        {
            File.ReadAllBytes(Path.Combine(sample, f)).Should().Equal(File.ReadAllBytes(Path.Combine(raw, f)), f);
        }

        File.ReadAllText(Path.Combine(sample, "manifest.json")).Should().Contain("\"mode\": \"sample\"");
    }

    [Fact]
    public void The_short_form_writes_under_the_current_folder_by_default()
    {
        var root = Harness.TempDir();
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = root;
            var (code, output, err) = Harness.Run("clinical", "--date", "2026-03-14", "--mode", "sample", "--encounters-per-day", "10");
            code.Should().Be(0, err);
            output.Should().Contain("registry");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }

        File.Exists(Path.Combine(root, "data", "sample", "2026-03-14", "encounters.csv")).Should().BeTrue();
        File.Exists(Path.Combine(root, "state", "patients_master.csv")).Should().BeTrue();
    }

    [Fact]
    public void A_different_seed_gives_a_different_day_and_needs_its_own_registry()
    {
        var a = Harness.TempDir();
        var b = Harness.TempDir();
        Harness.Run([.. Harness.Small(a, "2026-03-14"), "--set", "seed=1"]).Code.Should().Be(0);
        Harness.Run([.. Harness.Small(b, "2026-03-14"), "--seed", "2"]).Code.Should().Be(0);

        File.ReadAllText(Path.Combine(Harness.DayDir(a, "2026-03-14"), "vitals.csv")).Should().NotBe(File.ReadAllText(Path.Combine(Harness.DayDir(b, "2026-03-14"), "vitals.csv")));
        var (code, _, err) = Harness.Run([.. Harness.Small(a, "2026-03-15"), "--set", "seed=2"]);
        code.Should().Be(3);
        err.Should().Contain("another seed");
    }

    [Fact]
    public void Thread_count_and_batch_size_change_no_byte()
    {
        var one = Harness.TempDir();
        var many = Harness.TempDir();
        Harness.Run([.. Harness.Small(one, "2026-03-14"), "--threads", "1"]).Code.Should().Be(0);
        Harness.Run([.. Harness.Small(many, "2026-03-14"), "--threads", "4", "--batch-size", "7"]).Code.Should().Be(0);

        SameFiles(Harness.Snapshot(many), Harness.Snapshot(one));
    }
}
