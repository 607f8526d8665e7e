namespace Doppel.Sinks.Http;

/// <summary>Settings of the HTTP (Connector API) sink and of <see cref="HttpReplayer"/>.</summary>
/// <remarks>
/// <para>
/// Every request (first tries and retries alike) takes a start slot from one
/// <see cref="SlidingWindowRateLimiter"/>: starts are spaced evenly at 1/<see cref="RatePerSecond"/>
/// and no one-second window ever holds more than <c>ceil(RatePerSecond)</c> starts.
/// <see cref="MaxConcurrency"/> bounds the events being worked on at once (a request in flight or an
/// event waiting for its retry backoff), so a slow API lowers the achieved rate instead of piling up
/// requests.
/// </para>
/// <para>
/// With <see cref="BatchSize"/> 1 each request body is one JSON object; above 1 it is a JSON array of
/// up to that many objects, and the rate is in requests (not events) per second.
/// </para>
/// </remarks>
public sealed record HttpSinkOptions
{
    /// <summary>The default dead-letter file name; the CLI puts it in the output directory.</summary>
    public const string DefaultDeadLetterFileName = "dead-letter.jsonl";

    public HttpSinkOptions(Uri url)
    {
        Url = url;
    }

    /// <summary>The endpoint every request is POSTed to, e.g. <c>http://localhost:5000/api/mock/events/generate</c>.</summary>
    public Uri Url { get; init; }

    /// <summary>Events per request: 1 sends one JSON object per request, more sends a JSON array.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Requests started per second at most (the Connector API's documented limit is 100).</summary>
    public double RatePerSecond { get; init; } = 100;

    /// <summary>Events (requests or retry waits) in progress at once.</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Retries after the first attempt before an event goes to the dead-letter file.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Backoff before retry n (0-based) is drawn from [d/2, d] with d = min(<see cref="BackoffCap"/>, base·2ⁿ).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is clipped to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time limit of one request, from start to the whole response read.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit of the start-up reachability probe (a TCP connection to the URL's host and port).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where undeliverable events are appended, one JSON line each (see docs/sinks/http.md).</summary>
    public string DeadLetterPath { get; init; } = DefaultDeadLetterFileName;

    /// <summary>
    /// The column whose value is each event's idempotency key (sent as the <c>Idempotency-Key</c> header
    /// for single events). If the table has no such column the key is <c>&lt;table&gt;-&lt;row index&gt;</c>;
    /// null sends no key header at all.
    /// </summary>
    public string? IdempotencyKeyColumn { get; init; } = "event_id";

    /// <summary>Only rows of this table are sent; null sends every table of the plan.</summary>
    public string? Table { get; init; }

    /// <summary>Extra request headers (e.g. an API key), added to every request.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Extra distance kept between a start and the start <c>limit</c> places before it, beyond one second,
    /// so network jitter cannot put <c>limit + 1</c> arrivals in one second at the server. Costs
    /// <c>guard / 1 s</c> of throughput (0.5 % at the default 5 ms).
    /// </summary>
    public TimeSpan WindowGuard { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Parses the <c>--sink</c> value: an absolute <c>http://</c> or <c>https://</c> URL.</summary>
    /// <exception cref="DoppelException">The value is not such a URL (usage error).</exception>
    public static HttpSinkOptions FromUri(string sink)
    {
        if (!Uri.TryCreate(sink, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new DoppelException($"--sink '{sink}' is not an http:// or https:// URL (e.g. http://localhost:5000/api/mock/events/generate).", ExitCodes.UsageError);
        }

        return new HttpSinkOptions(uri);
    }

    /// <summary>Checks ranges; throws a usage error naming the bad option.</summary>
    public void Validate()
    {
        static void Fail(string message) => throw new DoppelException(message, ExitCodes.UsageError);

        if (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps)
        {
            Fail($"HTTP sink URL '{Url}' must start with http:// or https://.");
        }

        if (BatchSize < 1)
        {
            Fail($"HTTP sink batch size {BatchSize} must be at least 1.");
        }

        if (!(RatePerSecond > 0) || RatePerSecond > SlidingWindowRateLimiter.MaxRate)
        {
            Fail($"HTTP sink rate {RatePerSecond} must be a positive number of requests per second, at most 1,000,000.");
        }

        if (MaxConcurrency < 1)
        {
            Fail($"HTTP sink concurrency {MaxConcurrency} must be at least 1.");
        }

        if (MaxRetries < 0)
        {
            Fail($"HTTP sink retries {MaxRetries} must be 0 or more.");
        }

        if (Timeout <= TimeSpan.Zero || BackoffBase < TimeSpan.Zero || BackoffCap < BackoffBase || WindowGuard < TimeSpan.Zero)
        {
            Fail("HTTP sink timeout must be positive and backoff cap at least the backoff base.");
        }

        if (string.IsNullOrWhiteSpace(DeadLetterPath))
        {
            Fail("HTTP sink dead-letter path must not be empty.");
        }
    }
}
