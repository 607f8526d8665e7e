using System.Globalization;
using System.Text;

namespace Doppel.Packs.EmailEvents.Tests;

/// <summary>
/// Delivery into ClickHouse (Debian's 18.16) through the CLI. The server is <c>DOPPEL_TEST_CLICKHOUSE</c>,
/// else what <c>.ci/services/clickhouse.sh</c> starts (http://127.0.0.1:18123); if it does not answer the test
/// fails and names the script.
/// </summary>
public sealed class ClickHouseTests : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly string _database = "sendflowr_" + Guid.NewGuid().ToString("N")[..12];

    public ClickHouseTests()
    {
        _url = new Uri(Environment.GetEnvironmentVariable("DOPPEL_TEST_CLICKHOUSE") is { Length: > 0 } url ? url : "http://127.0.0.1:18123");
        _client = new HttpClient { BaseAddress = _url, Timeout = TimeSpan.FromSeconds(60) };
    }

    [Fact]
    public async Task Count_3000_lands_in_sendflowr_email_events_and_the_seeds_queries_answer()
    {
        await EnsureServerAsync();
        var sink = $"clickhouse://{_url.Host}:{_url.Port.ToString(CultureInfo.InvariantCulture)}/{_database}.email_events?create=true";
        var (code, output, error) = await Run.Doppel("generate", "email-events", "--count", "3000", "--sink", sink);
        code.Should().Be(0, error);
        output.Should().Contain("clickhouse: inserted 3000 rows");

        (await Count($"SELECT count() FROM {_database}.email_events WHERE universal_id LIKE 'sf_%'")).Should().Be(3000);
        (await Count($"SELECT count() FROM {_database}.email_events WHERE NOT match(recipient_email_hash, '^[0-9a-f]{{64}}$')")).Should().Be(0);
        (await Count($"SELECT uniqExact(event_id) FROM {_database}.email_events")).Should().Be(3000);
        var recent = await QueryAsync($"SELECT universal_id, substring(recipient_email_hash, 1, 16), event_type FROM {_database}.email_events WHERE universal_id LIKE 'sf_%' ORDER BY timestamp DESC LIMIT 10");
        var rows = recent.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows.Should().HaveCount(10);
        rows.Should().OnlyContain(r => r.StartsWith("sf_", StringComparison.Ordinal) && r.Split('\t')[1].Length == 16);
        (await QueryAsync($"SELECT type FROM system.columns WHERE database = '{_database}' AND table = 'email_events' AND name = 'timestamp'")).Trim().Should().Be("DateTime");

        // Causality survives whole-second DateTime: per message, event order by time equals generation order.
        (await Count($"SELECT count() FROM (SELECT message_id, groupArray(timestamp) AS t FROM (SELECT message_id, timestamp FROM {_database}.email_events ORDER BY message_id, timestamp) GROUP BY message_id) WHERE length(arrayDistinct(t)) != length(t)")).Should().Be(0);
    }

    public void Dispose()
    {
        try
        {
            QueryAsync($"DROP DATABASE IF EXISTS {_database}").GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            // The server is gone: nothing to clean.
        }

        _client.Dispose();
    }

    private async Task EnsureServerAsync()
    {
        try
        {
            (await _client.GetStringAsync(new Uri("/ping", UriKind.Relative))).Should().StartWith("Ok");
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"ClickHouse is not reachable at {_url} ({e.Message}). Start it with .ci/services/clickhouse.sh (or set DOPPEL_TEST_CLICKHOUSE).", e);
        }
    }

    private async Task<long> Count(string sql) => long.Parse((await QueryAsync(sql)).Trim(), CultureInfo.InvariantCulture);

    private async Task<string> QueryAsync(string sql)
    {
        using var content = new StringContent(sql, Encoding.UTF8);
        using var response = await _client.PostAsync(new Uri("/", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{sql}: {body}");
    }
}
