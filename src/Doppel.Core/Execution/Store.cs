using Doppel.Data;

namespace Doppel.Execution;

/// <summary>Moves a computed <see cref="Value"/> into a column buffer slot.</summary>
internal static class Store
{
    public static void Put(ColumnBuffer col, int slot, Value v)
    {
        if (v.IsNull)
        {
            col.Nulls[slot] = true;
            if (col.Type.UsesUtf8())
            {
                col.Utf8.Commit(slot, 0);
            }

            return;
        }

        switch (col.Type)
        {
            case DataType.Float:
                col.Float64[slot] = v.Type == DataType.Float ? v.Float : v.Int;
                break;
            case DataType.String:
            case DataType.Json:
                var text = v.Type.UsesUtf8() ? v.Text.Span : v.ToString().AsSpan();
                var dest = col.Utf8.Reserve(text.Length * 3);
                // Utf8.FromUtf16 has a vectorised ASCII fast path and none of Encoding's per-call overhead.
                System.Text.Unicode.Utf8.FromUtf16(text, dest, out _, out var written);
                col.Utf8.Commit(slot, written);
                break;
            default:
                col.Int64[slot] = v.Type == DataType.Float ? (long)v.Float : v.Int;
                break;
        }
    }
}
