using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Doppel.Packs.EmailEvents.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 (random port) standing in for SendFlowr's Connector API
/// (<c>POST /api/mock/events/generate</c>): keeps every accepted event by <c>event_id</c> and rejects the
/// requests <see cref="Reject"/> picks with 400, which the sink dead-letters without retrying.
/// </summary>
public sealed class ConnectorApi : IAsyncDisposable
{
    public const string Path = "/api/mock/events/generate";

    private readonly WebApplication _app;

    private ConnectorApi(WebApplication app) => _app = app;

    /// <summary>Events accepted, by event_id (last body kept).</summary>
    public ConcurrentDictionary<string, JsonElement> Events { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string?> IdempotencyKeys { get; } = new();

    /// <summary>Rejects an event (by its event_type) with 400 Bad Request.</summary>
    public Func<string, bool> Reject { get; set; } = _ => false;

    public string Url { get; private set; } = string.Empty;

    public static async Task<ConnectorApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new ConnectorApi(app);
        app.MapPost(Path, api.HandleAsync);
        await app.StartAsync();
        api.Url = app.Urls.First() + Path;
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = document.RootElement;
        var events = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : [root];
        if (events.Any(e => Reject(e.GetProperty("event_type").GetString()!)))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("{\"error\":\"event_type is not supported\"}", context.RequestAborted);
            return;
        }

        IdempotencyKeys.Enqueue(context.Request.Headers["Idempotency-Key"]);
        foreach (var e in events)
        {
            Events[e.GetProperty("event_id").GetString()!] = e.Clone();
        }

        context.Response.StatusCode = 202;
    }
}
