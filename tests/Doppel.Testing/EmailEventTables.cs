using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Doppel.Data;

namespace Doppel.Testing;

/// <summary>
/// Deterministic email-engagement events (domain-reference §9), every value a pure function of the row index:
/// the seed's email-events table and an 8-column table for throughput. Shared by the ClickHouse and HTTP sink tests.
/// </summary>
/// <remarks>
/// Row i: event type cycles through 5 types; every 10th universal id is anonymous; 1,000 recipients; url only on
/// clicks, machine_open only on opens, persona null every 5th row, latency null every 7th, properties null every 4th.
/// </remarks>
public static class EmailEventTables
{
    /// <summary>The shape of <c>sendflowr.email_events</c> documented in docs/sinks/clickhouse.md.</summary>
    public static readonly TableSchema EmailEvents = new("email_events",
    [
        new ColumnSchema("event_id", DataType.String, false),
        new ColumnSchema("event_type", DataType.String, false),
        new ColumnSchema("timestamp", DataType.Timestamp, false),
        new ColumnSchema("universal_id", DataType.String, false),
        new ColumnSchema("recipient_email_hash", DataType.String, false),
        new ColumnSchema("campaign_id", DataType.String, false),
        new ColumnSchema("esp", DataType.String, false),
        new ColumnSchema("persona", DataType.String, true),
        new ColumnSchema("url", DataType.String, true),
        new ColumnSchema("machine_open", DataType.Bool, true),
        new ColumnSchema("latency_seconds", DataType.Float, true),
        new ColumnSchema("send_date", DataType.Date, false),
        new ColumnSchema("properties", DataType.Json, true),
    ]);

    /// <summary>8 columns, as in the throughput measurement.</summary>
    public static readonly TableSchema Narrow = new("events8",
    [
        new ColumnSchema("event_id", DataType.String, false),
        new ColumnSchema("event_type", DataType.String, false),
        new ColumnSchema("timestamp", DataType.Timestamp, false),
        new ColumnSchema("universal_id", DataType.String, false),
        new ColumnSchema("recipient_email_hash", DataType.String, false),
        new ColumnSchema("campaign_id", DataType.Int, false),
        new ColumnSchema("esp", DataType.String, false),
        new ColumnSchema("score", DataType.Float, false),
    ]);

    public static readonly DateTime Start = new(2026, 3, 14, 8, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Types = ["processed", "delivered", "open", "click", "bounce"];
    private static readonly byte[][] TypeBytes = [.. Types.Select(Encoding.UTF8.GetBytes)];
    private static byte[][]? _hashBytes;
    private static readonly string[] Personas = ["early_bird", "night_owl", "commuter", "weekend_warrior"];

    /// <summary>The event_id of row <paramref name="i"/>: "evt-" and 9 digits, so ids sort in row order.</summary>
    public static string EventId(long i) => string.Create(CultureInfo.InvariantCulture, $"evt-{i:D9}");

    /// <summary>The recipient of row <paramref name="i"/> (1,000 distinct addresses).</summary>
    public static string Email(long i) => string.Create(CultureInfo.InvariantCulture, $"user{i % 1000}@example.test");

    public static string Hash(string email) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email)));

    /// <summary>µs timestamp of row i: 1.234567 s apart, so sub-second digits vary.</summary>
    public static long TimestampMicros(long i) => DataTypes.ToMicros(Start) + (i * 1_234_567);

    /// <summary>Rows [0, <paramref name="count"/>) of <paramref name="schema"/> (one of this class's tables) in batches; the batch is reused between yields, like the engine's.</summary>
    public static IEnumerable<RowBatch> Batches(TableSchema schema, long count, int batchSize = 4096)
    {
        if (!ReferenceEquals(schema, EmailEvents) && !ReferenceEquals(schema, Narrow))
        {
            throw new ArgumentException($"Batches fills {EmailEvents.Name} and {Narrow.Name} only, not {schema.Name}.", nameof(schema));
        }

        return Rows(schema, count, batchSize);
    }

    private static IEnumerable<RowBatch> Rows(TableSchema schema, long count, int batchSize)
    {
        var batch = new RowBatch(schema, batchSize);
        var hashes = new string[1000];
        for (var k = 0; k < hashes.Length; k++)
        {
            hashes[k] = Hash(Email(k));
        }

        for (long first = 0; first < count; first += batchSize)
        {
            batch.Reset(first);
            var n = (int)Math.Min(batchSize, count - first);
            for (var r = 0; r < n; r++)
            {
                Fill(batch, r, first + r, hashes);
            }

            batch.Count = n;
            yield return batch;
        }
    }

    private static void Fill(RowBatch b, int r, long i, string[] hashes)
    {
        var cols = b.Columns; // EmailEvents and Narrow share the first 8 column positions
        Span<byte> text = stackalloc byte[32];
        "evt-"u8.CopyTo(text);
        i.TryFormat(text[4..], out var digits, "D9", CultureInfo.InvariantCulture);
        cols[0].Utf8.Set(r, text[..(4 + digits)]);
        cols[1].Utf8.Set(r, TypeBytes[i % Types.Length]);
        cols[2].Int64[r] = TimestampMicros(i);
        var prefix = i % 10 == 9 ? "anon_"u8 : "sf_"u8;
        prefix.CopyTo(text);
        (i % 1000).TryFormat(text[prefix.Length..], out digits, "D6", CultureInfo.InvariantCulture);
        cols[3].Utf8.Set(r, text[..(prefix.Length + digits)]);
        cols[4].Utf8.Set(r, HashBytes(hashes)[i % 1000]);
        cols[6].Utf8.Set(r, i % 2 == 0 ? "sendgrid"u8 : "mailgun"u8);
        if (ReferenceEquals(b.Schema, Narrow))
        {
            cols[5].Int64[r] = 1000 + (i % 37);
            cols[7].Float64[r] = (i % 1000) / 7.0;
            return;
        }

        b["campaign_id"].Utf8.Set(r, $"camp_{i % 37:D3}");
        Nullable(b["persona"], r, i % 5 == 0, c => c.Utf8.Set(r, Personas[i % Personas.Length]));
        Nullable(b["url"], r, i % Types.Length != 3, c => c.Utf8.Set(r, $"https://shop.example/p/{i % 50}?q=\"ü€😀\""));
        Nullable(b["machine_open"], r, i % Types.Length != 2, c => c.Int64[r] = i % 3 == 0 ? 1 : 0);
        Nullable(b["latency_seconds"], r, i % 7 == 0, c => c.Float64[r] = i * 0.25);
        b["send_date"].Int64[r] = DataTypes.ToDays(DateOnly.FromDateTime(Start)) + (i % 30);
        Nullable(b["properties"], r, i % 4 == 0, c => c.Utf8.Set(r, $$"""{"ip":"192.0.2.{{i % 250}}","n":{{i}}}"""));
    }

    private static byte[][] HashBytes(string[] hashes) => _hashBytes ??= [.. hashes.Select(Encoding.UTF8.GetBytes)];

    private static void Nullable(ColumnBuffer column, int r, bool isNull, Action<ColumnBuffer> set)
    {
        if (isNull)
        {
            column.Nulls[r] = true;
        }
        else
        {
            set(column);
        }
    }
}
