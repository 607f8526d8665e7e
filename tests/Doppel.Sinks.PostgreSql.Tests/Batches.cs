using Doppel.Data;

namespace Doppel.Sinks.PostgreSql.Tests;

/// <summary>Builds <see cref="RowBatch"/>es from plain values, the way the engine fills them.</summary>
internal static class Batches
{
    /// <summary>One batch holding <paramref name="rows"/>; values are string, long/int, double, bool, DateOnly, DateTime (UTC) or null.</summary>
    public static RowBatch Of(TableSchema schema, long firstRowIndex, params object?[][] rows)
    {
        var batch = new RowBatch(schema, Math.Max(1, rows.Length));
        batch.Reset(firstRowIndex);
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < schema.Columns.Count; c++)
            {
                Set(batch.Columns[c], r, rows[r][c]);
            }
        }

        batch.Count = rows.Length;
        return batch;
    }

    public static void Set(ColumnBuffer col, int row, object? value)
    {
        if (value is null)
        {
            col.Nulls[row] = true;
            return;
        }

        switch (col.Type)
        {
            case DataType.String:
            case DataType.Json:
                col.Utf8.Set(row, (string)value);
                break;
            case DataType.Int:
                col.Int64[row] = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case DataType.Float:
                col.Float64[row] = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case DataType.Bool:
                col.Int64[row] = (bool)value ? 1 : 0;
                break;
            case DataType.Date:
                col.Int64[row] = DataTypes.ToDays((DateOnly)value);
                break;
            case DataType.Timestamp:
                col.Int64[row] = DataTypes.ToMicros((DateTime)value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(col), col.Type, null);
        }
    }
}
