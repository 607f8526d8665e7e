using System.Globalization;

namespace Doppel.Sinks.Http;

/// <summary>What an HTTP delivery (a sink run or a replay) did; <see cref="ToString"/> is the one-line summary the CLI prints.</summary>
/// <param name="Sent">Events the API accepted (2xx).</param>
/// <param name="Retried">Requests that were retries of an earlier failed request.</param>
/// <param name="Failed">Events that finally failed and were written to <see cref="DeadLetterPath"/>.</param>
/// <param name="Requests">HTTP requests started, retries included.</param>
/// <param name="AchievedRate">Requests per second between the first and the last request start.</param>
/// <param name="RateLimit">The configured requests-per-second limit.</param>
/// <param name="MaxRequestsInAnyWindow">The most request starts seen in any one-second sliding window (≤ the limit by construction).</param>
/// <param name="P50Ms">Median request latency in milliseconds (2 % bucket precision).</param>
/// <param name="P95Ms">95th percentile request latency in milliseconds.</param>
/// <param name="P99Ms">99th percentile request latency in milliseconds.</param>
/// <param name="Duration">Time from the first request to the last response.</param>
/// <param name="DeadLetterPath">The dead-letter file when <see cref="Failed"/> &gt; 0, else null.</param>
public sealed record HttpSendSummary(
    long Sent,
    long Retried,
    long Failed,
    long Requests,
    double AchievedRate,
    double RateLimit,
    int MaxRequestsInAnyWindow,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    TimeSpan Duration,
    string? DeadLetterPath)
{
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var failed = Failed == 0 ? "0 failed" : string.Create(c, $"{Failed} failed (in {DeadLetterPath})");
        return string.Create(
            c,
            $"sent {Sent} events, {failed}, {Retried} retried; {Requests} requests at {AchievedRate:0.0} req/s (limit {RateLimit:0.##}, max {MaxRequestsInAnyWindow} in any 1 s window); latency p50 {P50Ms:0.0} ms, p95 {P95Ms:0.0} ms, p99 {P99Ms:0.0} ms; {Duration.TotalSeconds:0.0} s");
    }
}
