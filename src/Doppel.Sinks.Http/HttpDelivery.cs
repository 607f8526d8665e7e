using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace Doppel.Sinks.Http;

/// <summary>One request's worth of events: their JSON, their idempotency keys and the body sent.</summary>
internal sealed class DeliveryItem
{
    public DeliveryItem(byte[][] events, string?[] keys, bool asArray)
    {
        Events = events;
        Keys = keys;
        Body = asArray ? JoinArray(events) : events[0];
        HeaderKey = asArray ? BatchKey(keys) : keys[0];
        JitterSeed = Fnv1a(HeaderKey ?? string.Empty);
    }

    public byte[][] Events { get; }

    public string?[] Keys { get; }

    public byte[] Body { get; }

    /// <summary>The <c>Idempotency-Key</c> header: the event's key, or for an array a key derived from all of them.</summary>
    public string? HeaderKey { get; }

    public ulong JitterSeed { get; }

    /// <summary>A batch's key: a function of its events' keys only, so a retried or replayed batch repeats it.</summary>
    internal static string? BatchKey(string?[] keys)
    {
        if (Array.TrueForAll(keys, k => k is null))
        {
            return null;
        }

        var joined = string.Join('\n', keys.Select(k => k ?? string.Empty));
        return "batch-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)).AsSpan(0, 16));
    }

    private static byte[] JoinArray(byte[][] events)
    {
        var length = 2 + events.Sum(e => e.Length) + Math.Max(0, events.Length - 1);
        var body = new byte[length];
        body[0] = (byte)'[';
        var at = 1;
        for (var i = 0; i < events.Length; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }

            events[i].CopyTo(body, at);
            at += events[i].Length;
        }

        body[at] = (byte)']';
        return body;
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        return hash;
    }
}

/// <summary>Groups events into <see cref="DeliveryItem"/>s of the configured batch size.</summary>
internal sealed class DeliveryBatcher(int batchSize)
{
    private readonly List<byte[]> _events = new(batchSize);
    private readonly List<string?> _keys = new(batchSize);

    /// <summary>Adds an event; returns a full item when the batch size is reached.</summary>
    public DeliveryItem? Add(byte[] eventJson, string? key)
    {
        _events.Add(eventJson);
        _keys.Add(key);
        return _events.Count >= batchSize ? Flush() : null;
    }

    public DeliveryItem? Flush()
    {
        if (_events.Count == 0)
        {
            return null;
        }

        var item = new DeliveryItem([.. _events], [.. _keys], asArray: batchSize > 1);
        _events.Clear();
        _keys.Clear();
        return item;
    }
}

/// <summary>
/// The delivery engine behind <see cref="HttpRowSink"/> and <see cref="HttpReplayer"/>: a bounded queue,
/// <see cref="HttpSinkOptions.MaxConcurrency"/> workers, one shared rate limiter, retries with
/// backoff, and the dead-letter file for what finally fails.
/// </summary>
internal sealed class HttpDelivery : IAsyncDisposable
{
    private readonly HttpSinkOptions _options;
    private readonly HttpClient _client;
    private readonly SlidingWindowRateLimiter _limiter;
    private readonly LatencyHistogram _latency = new();
    private readonly DeadLetterWriter _deadLetters;
    private readonly Channel<DeliveryItem> _queue;
    private readonly CancellationTokenSource _abort = new();
    private Task[] _workers = [];
    private long _sent;
    private long _retried;
    private long _requests;
    private long _firstStart;
    private long _lastEnd;
    private HttpSendSummary? _summary;

    public HttpDelivery(HttpSinkOptions options, string deadLetterPath)
    {
        _options = options;
        _limiter = new SlidingWindowRateLimiter(options.RatePerSecond, options.WindowGuard);
        _deadLetters = new DeadLetterWriter(deadLetterPath);
        _queue = Channel.CreateBounded<DeliveryItem>(new BoundedChannelOptions(options.MaxConcurrency * 2)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = options.MaxConcurrency,
            ConnectTimeout = options.Timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.All,
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Doppel", DoppelVersion()));
    }

    /// <summary>Fails fast with the Connector API hint when nothing listens at the URL's host and port.</summary>
    public static async Task ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string reason;
        try
        {
            using var tcp = new TcpClient();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            await tcp.ConnectAsync(url.Host, url.Port, cts.Token).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"no connection within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            reason = ex.Message;
        }

        throw new DoppelException(
            $"Connector API not available at {Redact(url)}: {reason}. Start the connector or pass --sink with the right address.",
            ExitCodes.RuntimeError);
    }

    /// <summary>The URL without user info and query (which may hold secrets), for messages.</summary>
    public static string Redact(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    public string DeadLetterPath => _deadLetters.Path;

    public void Start()
    {
        _workers = new Task[_options.MaxConcurrency];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = Task.Run(WorkerAsync);
        }
    }

    public ValueTask EnqueueAsync(DeliveryItem item, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(item, cancellationToken);

    /// <summary>Sends everything queued, then returns the summary. Cancelling aborts (unsent events are dead-lettered).</summary>
    public async Task<HttpSendSummary> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_summary is not null)
        {
            return _summary;
        }

        _queue.Writer.TryComplete();
        using (cancellationToken.Register(() => _abort.Cancel()))
        {
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }

        return Finish();
    }

    /// <summary>Stops sending: in-flight requests are cancelled and every event not confirmed is dead-lettered.</summary>
    public async Task<HttpSendSummary> AbortAsync()
    {
        if (_summary is not null)
        {
            return _summary;
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        return Finish();
    }

    /// <summary>Dead-letters a line that could not even be parsed (replay), keeping it byte for byte.</summary>
    public void KeepRawLine(ReadOnlySpan<byte> line) => _deadLetters.WriteRawLine(line);

    public async ValueTask DisposeAsync()
    {
        if (_summary is null && _workers.Length > 0)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        _client.Dispose();
        _limiter.Dispose();
        _deadLetters.Dispose();
        _abort.Dispose();
    }

    private HttpSendSummary Finish()
    {
        _deadLetters.Dispose();
        var first = Interlocked.Read(ref _firstStart);
        var last = Interlocked.Read(ref _lastEnd);
        var duration = first == 0 || last < first ? TimeSpan.Zero : Stopwatch.GetElapsedTime(first, last);
        _summary = new HttpSendSummary(
            Sent: Interlocked.Read(ref _sent),
            Retried: Interlocked.Read(ref _retried),
            Failed: _deadLetters.Count,
            Requests: Interlocked.Read(ref _requests),
            AchievedRate: _limiter.AchievedRate,
            RateLimit: _options.RatePerSecond,
            MaxRequestsInAnyWindow: _limiter.MaxInAnyWindow,
            P50Ms: _latency.PercentileMs(0.50),
            P95Ms: _latency.PercentileMs(0.95),
            P99Ms: _latency.PercentileMs(0.99),
            Duration: duration,
            DeadLetterPath: _deadLetters.Count > 0 ? _deadLetters.Path : null);
        return _summary;
    }

    private async Task WorkerAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (_abort.IsCancellationRequested)
                {
                    DeadLetter(item, 0, "aborted before sending");
                    continue;
                }

                try
                {
                    await DeliverAsync(item).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Never lose an event to a bug in the worker: record it with the reason.
                    DeadLetter(item, 0, "internal error: " + ex.Message);
                }
            }
        }
    }

    private async Task DeliverAsync(DeliveryItem item)
    {
        var cancel = _abort.Token;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _limiter.WaitAsync(cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                DeadLetter(item, attempt, "aborted before sending");
                return;
            }

            Interlocked.CompareExchange(ref _firstStart, Stopwatch.GetTimestamp(), 0);
            Interlocked.Increment(ref _requests);
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retried);
            }

            var outcome = await SendOnceAsync(item, cancel).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastEnd, Stopwatch.GetTimestamp());
            switch (outcome.Kind)
            {
                case OutcomeKind.Success:
                    Interlocked.Add(ref _sent, item.Events.Length);
                    return;
                case OutcomeKind.Aborted:
                    DeadLetter(item, attempt + 1, "aborted while sending (delivery not confirmed)");
                    return;
                case OutcomeKind.Permanent:
                    DeadLetter(item, attempt + 1, outcome.Error);
                    return;
            }

            if (attempt >= _options.MaxRetries)
            {
                DeadLetter(item, attempt + 1, outcome.Error);
                return;
            }

            var delay = Backoff(attempt, item.JitterSeed);
            if (outcome.RetryAfter is { } retryAfter)
            {
                delay = retryAfter;
                if (outcome.Status == 429)
                {
                    // The API asked everyone to slow down, not just this request.
                    _limiter.PauseUntil(Stopwatch.GetTimestamp() + (long)(retryAfter.TotalSeconds * Stopwatch.Frequency));
                }
            }

            try
            {
                await Task.Delay(delay, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                DeadLetter(item, attempt + 1, outcome.Error + "; aborted before the retry");
                return;
            }
        }
    }

    private async Task<Outcome> SendOnceAsync(DeliveryItem item, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url)
        {
            Content = new ByteArrayContent(item.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (item.HeaderKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", item.HeaderKey);
        }

        foreach (var (name, value) in _options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_options.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            _latency.Record(Stopwatch.GetTimestamp() - started);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return Outcome.Success;
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var error = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}: {Excerpt(body)}");
            return status is 408 or 429 or >= 500
                ? new Outcome(OutcomeKind.Retry, error, status, RetryAfter(response))
                : new Outcome(OutcomeKind.Permanent, error, status, null);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return Outcome.WasAborted;
        }
        catch (OperationCanceledException)
        {
            _latency.Record(Stopwatch.GetTimestamp() - started);
            return new Outcome(OutcomeKind.Retry, string.Create(CultureInfo.InvariantCulture, $"timed out after {_options.Timeout.TotalSeconds:0.###} s"), 0, null);
        }
        catch (HttpRequestException ex)
        {
            _latency.Record(Stopwatch.GetTimestamp() - started);
            var inner = ex.InnerException is { } i && !ex.Message.Contains(i.Message, StringComparison.Ordinal) ? " (" + i.Message + ")" : string.Empty;
            return new Outcome(OutcomeKind.Retry, "connection error: " + ex.Message + inner, 0, null);
        }
    }

    /// <summary>Exponential backoff with jitter: a value in [d/2, d], d = min(cap, base·2^attempt); the jitter is a function of the event key and attempt.</summary>
    internal TimeSpan Backoff(int attempt, ulong seed)
    {
        var ceiling = Math.Min(_options.BackoffCap.TotalMilliseconds, _options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        var fraction = (Mix(seed + (ulong)attempt) >> 11) * (1.0 / (1UL << 53));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * fraction)));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? value = null;
        if (header?.Delta is { } delta)
        {
            value = delta;
        }
        else if (header?.Date is { } date)
        {
            // An HTTP-date is wall-clock time by definition; it only sets a delay, never data.
            value = date - DateTimeOffset.UtcNow;
        }

        if (value is null)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > _options.MaxRetryAfter ? _options.MaxRetryAfter : value;
    }

    private void DeadLetter(DeliveryItem item, int attempts, string error)
    {
        for (var i = 0; i < item.Events.Length; i++)
        {
            _deadLetters.Write(item.Keys[i], attempts, error, item.Events[i]);
        }
    }

    private static string Excerpt(string body)
    {
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 300 ? flat : flat[..300] + "…";
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static string DoppelVersion() =>
        typeof(HttpDelivery).Assembly.GetName().Version?.ToString(3) ?? "0";

    private enum OutcomeKind
    {
        Success,
        Retry,
        Permanent,
        Aborted,
    }

    private readonly record struct Outcome(OutcomeKind Kind, string Error, int Status, TimeSpan? RetryAfter)
    {
        public static readonly Outcome Success = new(OutcomeKind.Success, string.Empty, 200, null);
        public static readonly Outcome WasAborted = new(OutcomeKind.Aborted, "aborted", 0, null);
    }
}
