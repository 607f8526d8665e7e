using System.Text.Json;

namespace Doppel.Packs.EmailEvents.Tests;

/// <summary>Delivery to the Connector API through the CLI, against a real HTTP server.</summary>
public sealed class HttpSinkTests
{
    [Fact]
    public async Task Count_60_arrives_at_the_connector_once_each_with_every_field_and_its_idempotency_key()
    {
        await using var api = await ConnectorApi.StartAsync();
        var dir = Run.TempDir();
        var (code, output, error) = await Run.Doppel("generate", "email-events", "--count", "60", "--sink", api.Url, "--rate", "500", "--out", dir);
        code.Should().Be(0, error);
        api.Events.Should().HaveCount(60);
        foreach (var e in api.Events.Values)
        {
            e.GetProperty("universal_id").GetString().Should().StartWith("sf_");
            e.GetProperty("recipient_email_hash").GetString().Should().MatchRegex("^[0-9a-f]{64}$");
            e.GetProperty("timestamp").GetString().Should().EndWith("Z");
            foreach (var field in new[] { "event_type", "campaign_id", "esp", "persona" })
            {
                e.GetProperty(field).ValueKind.Should().Be(JsonValueKind.String);
            }
        }

        api.IdempotencyKeys.Should().BeEquivalentTo(api.Events.Keys);
        output.Should().Contain("http: sent 60 events, 0 failed");
        File.Exists(Path.Combine(dir, "email_events.csv")).Should().BeTrue("--out also keeps the files");
    }

    [Fact]
    public async Task An_unreachable_connector_fails_at_the_start_with_the_seeds_message()
    {
        var (code, _, error) = await Run.Doppel("generate", "email-events", "--count", "5", "--sink", "http://127.0.0.1:9/api/mock/events/generate", "--out", Run.TempDir());
        code.Should().Be(3);
        error.Should().Contain("Connector API not available at http://127.0.0.1:9/api/mock/events/generate");
    }

    [Fact]
    public async Task Rejected_events_are_dead_lettered_and_doppel_replay_delivers_them()
    {
        await using var api = await ConnectorApi.StartAsync();
        api.Reject = type => type == "opened";
        var dir = Run.TempDir();

        // When the API rejects every open
        var (code, output, error) = await Run.Doppel("generate", "email-events", "--count", "200", "--sink", api.Url, "--rate", "1000", "--out", dir);

        // Then the run fails after printing its summary, and the opens wait in the dead-letter file
        code.Should().Be(3);
        output.Should().Contain("http: sent ").And.Contain(" failed (in ");
        error.Should().Contain("doppel replay");
        var deadLetters = Path.Combine(dir, "dead-letter.jsonl");
        var rejected = File.ReadAllLines(deadLetters);
        rejected.Should().NotBeEmpty();
        (api.Events.Count + rejected.Length).Should().Be(200);

        // When the API accepts them again and the file is replayed
        api.Reject = _ => false;
        var replay = await Run.Doppel("replay", deadLetters, "--sink", api.Url, "--rate", "1000");

        // Then every event has arrived exactly once and the file is gone
        replay.Code.Should().Be(0, replay.Err);
        replay.Out.Should().Contain($"replay: sent {rejected.Length} events, 0 failed");
        api.Events.Should().HaveCount(200);
        File.Exists(deadLetters).Should().BeFalse();
    }
}
