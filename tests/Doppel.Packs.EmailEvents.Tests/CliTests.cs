using System.Globalization;
using System.Text.Json;

namespace Doppel.Packs.EmailEvents.Tests;

/// <summary>The seed's commands, run through the CLI in process.</summary>
public sealed class CliTests
{
    private static readonly string[] Required = ["event_id", "event_type", "timestamp", "universal_id", "recipient_email_hash", "campaign_id", "esp", "persona"];

    [Fact]
    public async Task Count_10_writes_the_first_10_events_of_the_full_history()
    {
        var quick = Run.TempDir();
        var full = Run.TempDir();
        (await Run.Doppel("generate", "email-events", "--count", "10", "--out", quick, "--quiet")).Code.Should().Be(0);
        (await Run.Doppel("generate", "email-events", "--out", full, "--quiet")).Code.Should().Be(0);

        var lines = File.ReadAllLines(Path.Combine(quick, "email_events.csv"));
        lines.Should().HaveCount(11);
        lines.Should().Equal(File.ReadLines(Path.Combine(full, "email_events.csv")).Take(11));
        File.ReadLines(Path.Combine(full, "email_events.csv")).Count().Should().BeInRange(80_001, 100_001);
        File.ReadAllText(Path.Combine(full, "recipients.csv")).Should().NotContain("@example", "the raw address is never an output column");
    }

    [Fact]
    public async Task Dry_run_with_count_100_shows_what_would_be_sent_and_writes_nothing()
    {
        var dir = Path.Combine(Run.TempDir(), "out");
        var (code, output, _) = await Run.Doppel("generate", "email-events", "--dry-run", "--count", "100", "--out", dir);
        code.Should().Be(0);
        output.Should().Contain("would generate 100 events").And.Contain("dry run: nothing was sent").And.Contain("\"event_type\":\"sent\"");
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public async Task Summary_counts_events_by_type_persona_campaign_and_day_without_writing()
    {
        var dir = Path.Combine(Run.TempDir(), "out");
        var (code, output, _) = await Run.Doppel("generate", "email-events", "--summary", "--out", dir);
        code.Should().Be(0);
        Directory.Exists(dir).Should().BeFalse();
        output.Should().Contain("by event type").And.Contain("by persona").And.Contain("by campaign").And.Contain("by day (UTC)").And.Contain("ESP outage: mailgun");
        var total = long.Parse(output.Split(':', 3)[1].Trim().Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        total.Should().Be(new DefaultHistory().EventCount);

        var (_, quick, _) = await Run.Doppel("generate", "email-events", "--summary", "--count", "10");
        quick.Should().StartWith("email-events summary (counting pass; nothing generated or written): 10 events");
    }

    [Fact]
    public async Task Out_dash_streams_json_lines_to_stdout_for_kcat()
    {
        var (code, output, error) = await Run.Doppel("generate", "email-events", "--count", "25", "--out", "-");
        code.Should().Be(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(25);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            foreach (var field in Required)
            {
                json.RootElement.TryGetProperty(field, out _).Should().BeTrue(field);
            }
        }

        error.Should().Contain("generated 25 events");
    }

    [Fact]
    public async Task Bad_parameters_fail_with_one_line()
    {
        var (code, _, error) = await Run.Doppel("generate", "email-events", "--persona-mix", "night_owl=3", "--summary");
        code.Should().Be(2);
        error.Trim().Should().NotContain("\n").And.Contain("night_owl").And.Contain("morning_reader");
        (await Run.Doppel("generate", "email-events", "--out", "-", "--sink", "http://127.0.0.1:9/x")).Code.Should().Be(2);
        (await Run.Doppel("replay", "missing.jsonl")).Code.Should().Be(2);
    }

    [Fact]
    public async Task Output_is_the_same_for_any_thread_count_and_batch_size()
    {
        // The per-thread memo of a recipient's history must never leak between recipients or threads.
        var one = Run.TempDir();
        var many = Run.TempDir();
        (await Run.Doppel("generate", "email-events", "--recipients", "150", "--threads", "1", "--out", one, "--quiet")).Code.Should().Be(0);
        (await Run.Doppel("generate", "email-events", "--recipients", "150", "--threads", "3", "--batch-size", "40", "--out", many, "--quiet")).Code.Should().Be(0);
        foreach (var file in new[] { "campaigns.csv", "recipients.csv", "sends.csv", "email_events.csv" })
        {
            File.ReadAllText(Path.Combine(many, file)).Should().Be(File.ReadAllText(Path.Combine(one, file)), file);
        }
    }

    [Fact]
    public async Task Generated_files_pass_the_packs_contracts()
    {
        var dir = Run.TempDir();
        (await Run.Doppel("generate", "email-events", "--count", "3000", "--out", dir, "--quiet")).Code.Should().Be(0);
        var (code, output, _) = await Run.Doppel("validate", dir, "--pack", "email-events");
        code.Should().Be(0, output);
    }
}
