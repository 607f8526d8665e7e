using System.Security.Cryptography;
using System.Text;
using Doppel.Data;

namespace Doppel.Sinks.Http.Tests;

/// <summary>Email-engagement events (domain-reference §9) built deterministically from the row index.</summary>
public static class TestEvents
{
    public static readonly TableSchema Schema = new("email_events",
    [
        new ColumnSchema("event_id", DataType.String, false),
        new ColumnSchema("event_type", DataType.String, false),
        new ColumnSchema("timestamp", DataType.Timestamp, false),
        new ColumnSchema("universal_id", DataType.String, false),
        new ColumnSchema("recipient_email_hash", DataType.String, false),
        new ColumnSchema("campaign_id", DataType.Int, false),
        new ColumnSchema("esp", DataType.String, false),
        new ColumnSchema("persona", DataType.String, true),
        new ColumnSchema("machine_open", DataType.Bool, true),
        new ColumnSchema("properties", DataType.Json, true),
    ]);

    private static readonly string[] Types = ["processed", "delivered", "open", "click"];

    public static string EventId(long index) => $"evt-{index:D8}";

    /// <summary>Batches of <paramref name="batchSize"/> rows covering rows [0, count).</summary>
    public static IEnumerable<RowBatch> Batches(long count, int batchSize = 64)
    {
        var batch = new RowBatch(Schema, batchSize);
        for (long first = 0; first < count; first += batchSize)
        {
            batch.Reset(first);
            var n = (int)Math.Min(batchSize, count - first);
            for (var r = 0; r < n; r++)
            {
                Fill(batch, r, first + r);
            }

            batch.Count = n;
            yield return batch;
        }
    }

    private static void Fill(RowBatch b, int r, long i)
    {
        var email = $"user{i % 500}@example.test";
        b.Columns[0].Utf8.Set(r, EventId(i));
        b.Columns[1].Utf8.Set(r, Types[i % Types.Length]);
        b.Columns[2].Int64[r] = DataTypes.ToMicros(new DateTime(2026, 3, 14, 8, 0, 0, DateTimeKind.Utc)) + (i * 1_234_567);
        b.Columns[3].Utf8.Set(r, $"sf_{i % 500:D6}");
        b.Columns[4].Utf8.Set(r, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email))));
        b.Columns[5].Int64[r] = 1000 + (i % 7);
        b.Columns[6].Utf8.Set(r, i % 2 == 0 ? "sendgrid" : "mailgun");
        if (i % 5 == 0)
        {
            b.Columns[7].Nulls[r] = true;
        }
        else
        {
            b.Columns[7].Utf8.Set(r, "early_bird");
        }

        b.Columns[8].Int64[r] = i % 3 == 0 ? 1 : 0;
        b.Columns[9].Utf8.Set(r, $$"""{"ip":"192.0.2.{{i % 250}}","n":{{i}}}""");
    }
}
