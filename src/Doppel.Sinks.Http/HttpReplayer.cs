using System.Text.Json;

namespace Doppel.Sinks.Http;

/// <summary>Re-sends the events of a dead-letter file (what <c>doppel replay &lt;file&gt; --sink http://…</c> runs).</summary>
/// <remarks>
/// Events are sent with their original idempotency keys, under the same rate limit, retries and
/// batching as a normal run (the options passed in; their <see cref="HttpSinkOptions.DeadLetterPath"/>
/// is ignored). Failures are collected in <c>&lt;file&gt;.replay.tmp</c>, which then atomically
/// replaces the file; when nothing failed the file is deleted. Until that final rename the original
/// file is untouched, so an interrupted replay can simply be run again (the API dedupes by key).
/// Lines that are not valid dead-letter records are kept unchanged and counted as failed.
/// </remarks>
public static class HttpReplayer
{
    /// <summary>Replays <paramref name="deadLetterPath"/>; returns the summary (<see cref="HttpSendSummary.Failed"/> events remain in the file).</summary>
    /// <exception cref="DoppelException">The file does not exist, or the API is not reachable.</exception>
    public static async Task<HttpSendSummary> ReplayAsync(string deadLetterPath, HttpSinkOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        var path = Path.GetFullPath(deadLetterPath);
        if (!File.Exists(path))
        {
            throw new DoppelException($"Dead-letter file '{deadLetterPath}' does not exist.", ExitCodes.UsageError);
        }

        await HttpDelivery.ProbeAsync(options.Url, options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
        var remaining = path + ".replay.tmp";
        File.Delete(remaining);
        HttpSendSummary summary;
        var delivery = new HttpDelivery(options, remaining);
        await using (delivery.ConfigureAwait(false))
        {
            delivery.Start();
            var batcher = new DeliveryBatcher(options.BatchSize);
            using (var reader = new StreamReader(path, System.Text.Encoding.UTF8))
            {
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    if (!TryParse(line, out var key, out var eventJson))
                    {
                        delivery.KeepRawLine(System.Text.Encoding.UTF8.GetBytes(line));
                        continue;
                    }

                    if (batcher.Add(eventJson, key) is { } item)
                    {
                        await delivery.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (batcher.Flush() is { } last)
            {
                await delivery.EnqueueAsync(last, cancellationToken).ConfigureAwait(false);
            }

            summary = await delivery.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only the failures remain: swap them in atomically, or remove the file when none are left.
        if (File.Exists(remaining))
        {
            File.Move(remaining, path, overwrite: true);
            return summary with { DeadLetterPath = path };
        }

        File.Delete(path);
        return summary with { DeadLetterPath = null };
    }

    private static bool TryParse(string line, out string? key, out byte[] eventJson)
    {
        key = null;
        eventJson = [];
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var evt))
            {
                return false;
            }

            if (root.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String)
            {
                key = k.GetString();
            }

            eventJson = System.Text.Encoding.UTF8.GetBytes(evt.GetRawText());
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
