using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Doppel.Sinks.ClickHouse.Tests;

/// <summary>A pass-through HTTP proxy to the real ClickHouse that answers 503 to the first N INSERTs (a transient failure).</summary>
public sealed class FlakyProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private int _failuresLeft;

    private FlakyProxy(WebApplication app, Uri upstream, int failures)
    {
        _app = app;
        _upstream = new HttpClient { BaseAddress = upstream };
        _failuresLeft = failures;
    }

    public int InsertsSeen { get; private set; }

    public int Port { get; private set; }

    public static async Task<FlakyProxy> StartAsync(Uri upstream, int failInserts)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new FlakyProxy(app, upstream, failInserts);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy.Port = new Uri(app.Urls.First()).Port;
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.QueryString.Value ?? string.Empty;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        if (query.Contains("INSERT", StringComparison.OrdinalIgnoreCase))
        {
            InsertsSeen++;
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("proxy: upstream temporarily unavailable");
                return;
            }
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + query)
        {
            Content = new ByteArrayContent(buffer.ToArray()),
        };
        request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        if (context.Request.Headers.ContentEncoding.Count > 0)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Encoding", context.Request.Headers.ContentEncoding.ToString());
        }

        using var response = await _upstream.SendAsync(request);
        context.Response.StatusCode = (int)response.StatusCode;
        await context.Response.Body.WriteAsync(await response.Content.ReadAsByteArrayAsync());
    }
}
