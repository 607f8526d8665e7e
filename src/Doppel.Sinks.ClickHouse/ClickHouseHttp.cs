using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Doppel.Sinks.ClickHouse;

/// <summary>Queries and inserts over ClickHouse's HTTP interface, with retries on transient failures.</summary>
/// <remarks>
/// Transient (retried with exponential backoff and jitter): connection errors, timeouts, HTTP 502/503/504,
/// and server errors whose ClickHouse code means "try again" (too many parts or queries, memory or
/// network trouble). Everything else (syntax, unknown table, parse errors, authentication) fails at
/// once with ClickHouse's own message.
/// </remarks>
internal sealed partial class ClickHouseHttp : IDisposable
{
    // ClickHouse error codes worth retrying: 159 TIMEOUT_EXCEEDED, 164 READONLY, 202 TOO_MANY_SIMULTANEOUS_QUERIES,
    // 203 NO_FREE_CONNECTION, 209 SOCKET_TIMEOUT, 210 NETWORK_ERROR, 241 MEMORY_LIMIT_EXCEEDED,
    // 242 TABLE_IS_READ_ONLY, 252 TOO_MANY_PARTS, 319 UNKNOWN_STATUS_OF_INSERT, 425 SYSTEM_ERROR.
    private static readonly HashSet<int> TransientCodes = [159, 164, 202, 203, 209, 210, 241, 242, 252, 319, 425];

    private readonly ClickHouseSinkOptions _options;
    private readonly HttpClient _client;
    private long _retries;

    public ClickHouseHttp(ClickHouseSinkOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5), // below the server's keep_alive_timeout (3–10 s)
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler) { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.User + ":" + (options.Password ?? string.Empty)));
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
    }

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Checks the server answers and accepts the credentials; returns its version. No retries: fail fast.</summary>
    public async Task<string> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = Post("SELECT version()", null);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || ErrorCode(body) is 192 or 193 or 194 or 195 or 516)
            {
                throw new DoppelException(
                    $"ClickHouse at {_options.Endpoint} rejected user '{_options.User}': {ErrorText(body)}. Check the user and password in the --sink URI or CLICKHOUSE_USER/CLICKHOUSE_PASSWORD.",
                    ExitCodes.RuntimeError);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DoppelException($"ClickHouse at {_options.Endpoint} answered HTTP {(int)response.StatusCode}: {ErrorText(body)}", ExitCodes.RuntimeError);
            }

            return body.Trim();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is HttpRequestException { InnerException: { } inner } ? inner.Message : ex is OperationCanceledException ? "no answer within 10 s" : ex.Message;
            throw new DoppelException(
                $"ClickHouse not available at {_options.Endpoint}: {reason}. Start ClickHouse (for tests: .ci/services/clickhouse.sh) or pass --sink with the right address.",
                ExitCodes.RuntimeError,
                ex);
        }
    }

    /// <summary>True when the server decodes a gzip request body (<c>Content-Encoding: gzip</c>).</summary>
    public async Task<bool> AcceptsGzipAsync(CancellationToken cancellationToken)
    {
        using var request = Post(null, Gzip("SELECT 1"u8.ToArray()));
        request.Content!.Headers.ContentEncoding.Add("gzip");
        using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode && body.Trim() == "1";
    }

    /// <summary>Runs a statement (DDL or a query returning TabSeparated text) with retries; returns the response body.</summary>
    public Task<string> QueryAsync(string sql, CancellationToken cancellationToken) =>
        SendWithRetriesAsync(() => Post(sql, null), sql, cancellationToken);

    /// <summary>Runs <paramref name="insertSql"/> with <paramref name="data"/> as its body (already gzipped when <paramref name="gzip"/>).</summary>
    public Task<string> InsertAsync(string insertSql, ReadOnlyMemory<byte> data, bool gzip, CancellationToken cancellationToken) =>
        SendWithRetriesAsync(
            () =>
            {
                var request = Post(null, data, insertSql);
                if (gzip)
                {
                    request.Content!.Headers.ContentEncoding.Add("gzip");
                }

                return request;
            },
            insertSql,
            cancellationToken);

    public void Dispose() => _client.Dispose();

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>ClickHouse's message without its decoration (<c>Code: 60, e.displayText() = DB::Exception: …, e.what() = …</c>).</summary>
    internal static string ErrorText(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        var display = text.IndexOf("e.displayText() = ", StringComparison.Ordinal);
        if (display >= 0)
        {
            text = text[(display + "e.displayText() = ".Length)..];
            var what = text.LastIndexOf(", e.what()", StringComparison.Ordinal);
            if (what >= 0)
            {
                text = text[..what];
            }
        }

        text = text.Trim().TrimEnd(',').Trim();
        return text.Length <= 400 ? text : text[..400] + "…";
    }

    internal static int? ErrorCode(string body)
    {
        var match = CodePattern().Match(body);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    private HttpRequestMessage Post(string? sql, ReadOnlyMemory<byte>? body, string? queryParameter = null)
    {
        var query = queryParameter is null ? string.Empty : "?query=" + Uri.EscapeDataString(queryParameter);
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + query);
        request.Content = body is { } bytes
            ? new ReadOnlyMemoryContent(bytes)
            : new StringContent(sql ?? string.Empty, Encoding.UTF8, "text/plain");
        return request;
    }

    private async Task<string> SendWithRetriesAsync(Func<HttpRequestMessage> makeRequest, string sql, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string error;
            try
            {
                using var request = makeRequest();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.Timeout);
                using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                var status = (int)response.StatusCode;
                error = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {ErrorText(body)}");
                var transient = status is 502 or 503 or 504 || (ErrorCode(body) is { } code && TransientCodes.Contains(code));
                if (!transient)
                {
                    throw new DoppelException($"ClickHouse rejected `{Shorten(sql)}`: {ErrorText(body)}", ExitCodes.RuntimeError);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.Timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException ex)
            {
                error = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new DoppelException(
                    string.Create(CultureInfo.InvariantCulture, $"ClickHouse at {_options.Endpoint} failed `{Shorten(sql)}` after {attempt + 1} attempts: {error}"),
                    ExitCodes.RuntimeError);
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(Backoff(attempt, sql.Length), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Delay in [d/2, d], d = min(cap, base·2^attempt); the jitter is a fixed function of the attempt (no shared Random).</summary>
    private TimeSpan Backoff(int attempt, int salt)
    {
        var ceiling = Math.Min(_options.BackoffCap.TotalMilliseconds, _options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        var z = ((ulong)attempt * 0x9E3779B97F4A7C15UL) ^ (ulong)salt;
        z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9UL;
        var fraction = (z >> 11) * (1.0 / (1UL << 53));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * fraction)));
    }

    private static string Shorten(string sql)
    {
        var flat = sql.ReplaceLineEndings(" ");
        return flat.Length <= 120 ? flat : flat[..120] + "…";
    }

    [GeneratedRegex(@"Code: (\d+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodePattern();
}
