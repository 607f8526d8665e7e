using System.Globalization;
using System.Text;

namespace Doppel.Sinks.ClickHouse.Tests;

/// <summary>
/// The real ClickHouse the tests run against: <c>DOPPEL_TEST_CLICKHOUSE</c> (an http:// URL), else the
/// address <c>.ci/services/clickhouse.sh</c> starts (http://127.0.0.1:18123). Not reachable → the test fails
/// and says which script to run.
/// </summary>
public sealed class ClickHouseServer : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:18123";
    private readonly HttpClient _client;

    public ClickHouseServer()
    {
        Url = new Uri(Environment.GetEnvironmentVariable("DOPPEL_TEST_CLICKHOUSE") is { Length: > 0 } url ? url : DefaultUrl);
        _client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var ping = _client.GetStringAsync(new Uri("/ping", UriKind.Relative)).GetAwaiter().GetResult();
            Available = ping.StartsWith("Ok", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            Available = false;
        }
    }

    public Uri Url { get; }

    public bool Available { get; }

    /// <summary>The sink URI for a database/table on this server.</summary>
    public string Sink(string databaseAndTable, string query = "") =>
        $"clickhouse://{Url.Host}:{Url.Port.ToString(CultureInfo.InvariantCulture)}/{databaseAndTable}{(query.Length > 0 ? "?" + query : string.Empty)}";

    public void EnsureAvailable()
    {
        if (!Available)
        {
            throw new InvalidOperationException($"ClickHouse is not reachable at {Url}. Start it with .ci/services/clickhouse.sh (or set DOPPEL_TEST_CLICKHOUSE).");
        }
    }

    /// <summary>A database name no other test uses; dropped by the test's cleanup.</summary>
    public static string UniqueDatabase(string prefix = "doppel_test") => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task<string> QueryAsync(string sql)
    {
        using var content = new StringContent(sql, Encoding.UTF8);
        using var response = await _client.PostAsync(new Uri("/", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{sql}: {body}");
    }

    public async Task<long> CountAsync(string sql) =>
        long.Parse((await QueryAsync(sql)).Trim(), CultureInfo.InvariantCulture);

    public void Dispose() => _client.Dispose();
}
