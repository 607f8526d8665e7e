using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Doppel.Sinks.Http.Tests;

/// <summary>What the server does with one request.</summary>
public enum Fault
{
    None,
    ServiceUnavailable,
    InternalErrorAfterAccepting,
    TooManyRequests,
    TooManyRequestsHttpDate,
    BadRequest,
    ResetConnection,
    Hang,
}

/// <summary>One request as the server saw it.</summary>
public sealed record Arrival(long Timestamp, int Number, string? IdempotencyKey, string Body, Fault Fault);

/// <summary>
/// A real HTTP server on 127.0.0.1 (random port) standing in for the Connector API: records every
/// arrival, dedupes accepted events by their <c>event_id</c> (or the idempotency key header), and
/// injects failures chosen by <see cref="Policy"/>.
/// </summary>
public sealed class FakeConnectorApi : IAsyncDisposable
{
    public const string Path = "/api/mock/events/generate";

    private readonly WebApplication _app;
    private int _number;

    private FakeConnectorApi(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Chooses the fault for a request: (1-based request number, idempotency key, how many times this key arrived before) → fault.</summary>
    public Func<int, string?, int, Fault> Policy { get; set; } = (_, _, _) => Fault.None;

    public ConcurrentQueue<Arrival> Arrivals { get; } = new();

    /// <summary>Events accepted, deduplicated by key (the event's <c>event_id</c>): the value counts deliveries of that key.</summary>
    public ConcurrentDictionary<string, int> Accepted { get; } = new(StringComparer.Ordinal);

    /// <summary>Deliveries of an already accepted key, which a real Connector API would ignore.</summary>
    public int Duplicates => Accepted.Values.Sum(n => n - 1);

    public ConcurrentDictionary<string, int> SeenKeys { get; } = new(StringComparer.Ordinal);

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeConnectorApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeConnectorApi(app);
        app.MapPost(Path, api.HandleAsync);
        app.MapGet("/health", () => "ok");
        await app.StartAsync();
        api.Url = new Uri(app.Urls.First() + Path);
        return api;
    }

    /// <summary>Most arrivals in any closed one-second window.</summary>
    public int MaxInAnyOneSecondWindow()
    {
        var times = Arrivals.Select(a => a.Timestamp).Order().ToArray();
        var max = 0;
        var start = 0;
        for (var end = 0; end < times.Length; end++)
        {
            while (times[end] - times[start] > Stopwatch.Frequency)
            {
                start++;
            }

            max = Math.Max(max, end - start + 1);
        }

        return max;
    }

    /// <summary>The shortest time between an arrival and the one <paramref name="places"/> before it (over 1 s means the limit held).</summary>
    public TimeSpan TightestGap(int places)
    {
        var times = Arrivals.Select(a => a.Timestamp).Order().ToArray();
        var min = long.MaxValue;
        for (var i = places; i < times.Length; i++)
        {
            min = Math.Min(min, times[i] - times[i - places]);
        }

        return TimeSpan.FromSeconds(min / (double)Stopwatch.Frequency);
    }

    /// <summary>Requests per second from arrival <paramref name="skip"/> (0-based) to the last one.</summary>
    public double MeanRate(int skip = 0)
    {
        var times = Arrivals.Select(a => a.Timestamp).Order().Skip(skip).ToArray();
        return (times.Length - 1) * (double)Stopwatch.Frequency / (times[^1] - times[0]);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var number = Interlocked.Increment(ref _number);
        string? key = context.Request.Headers["Idempotency-Key"];
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var before = key is null ? 0 : SeenKeys.AddOrUpdate(key, 1, (_, n) => n + 1) - 1;
        var fault = Policy(number, key, before);
        Arrivals.Enqueue(new Arrival(arrived, number, key, body, fault));
        switch (fault)
        {
            case Fault.ServiceUnavailable:
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("connector overloaded", context.RequestAborted);
                return;
            case Fault.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            case Fault.TooManyRequestsHttpDate:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                return;
            case Fault.BadRequest:
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("{\"error\":\"event_type is not supported\"}", context.RequestAborted);
                return;
            case Fault.ResetConnection:
                context.Abort();
                return;
            case Fault.Hang:
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
        }

        Accept(body, key);
        if (fault == Fault.InternalErrorAfterAccepting)
        {
            // Processed, but the client never learns it: its retry must carry the same key.
            context.Response.StatusCode = 500;
            return;
        }

        context.Response.StatusCode = 202;
        await context.Response.WriteAsync("{\"status\":\"accepted\"}", context.RequestAborted);
    }

    private void Accept(string body, string? headerKey)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        IEnumerable<JsonElement> events = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : [root];
        foreach (var evt in events)
        {
            var key = evt.TryGetProperty("event_id", out var id) ? id.GetString()! : headerKey ?? body;
            Accepted.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }
}
