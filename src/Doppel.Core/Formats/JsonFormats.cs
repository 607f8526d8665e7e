using System.Text;
using Doppel.Data;

namespace Doppel.Formats;

/// <summary>Shared row-to-JSON-object writer for JSON Lines and JSON array output.</summary>
internal static class JsonRowWriter
{
    public static byte[][] Prefixes(TableSchema schema)
    {
        var result = new byte[schema.Columns.Count][];
        for (var i = 0; i < result.Length; i++)
        {
            var sb = new StringBuilder();
            sb.Append(i == 0 ? "{" : ",");
            TextFormatting.AppendJsonString(sb, schema.Columns[i].Name);
            sb.Append(':');
            result[i] = Encoding.UTF8.GetBytes(sb.ToString());
        }

        return result;
    }

    /// <summary>Every row of <paramref name="batch"/> as an object, each between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static void WriteRows(Utf8Output output, RowBatch batch, byte[][] prefixes, ReadOnlySpan<byte> before, ReadOnlySpan<byte> after)
    {
        for (var r = 0; r < batch.Count; r++)
        {
            output.Write(before);
            WriteRow(output, batch, r, prefixes);
            output.Write(after);
        }
    }

    public static void WriteRow(Utf8Output output, RowBatch batch, int r, byte[][] prefixes)
    {
        var cols = batch.Columns;
        for (var c = 0; c < cols.Length; c++)
        {
            output.Write(prefixes[c]);
            var col = cols[c];
            if (col.Nulls[r])
            {
                output.Write("null"u8);
                continue;
            }

            switch (col.Type)
            {
                case DataType.Int:
                    output.Advance(Utf8Values.WriteInt(col.Int64[r], output.GetSpan(24)));
                    break;
                case DataType.Float:
                    var d = col.Float64[r];
                    if (double.IsFinite(d))
                    {
                        output.Advance(Utf8Values.WriteDouble(d, output.GetSpan(32)));
                    }
                    else
                    {
                        output.Write("null"u8); // JSON has no NaN or Infinity
                    }

                    break;
                case DataType.Bool:
                    output.Write(col.Int64[r] != 0 ? "true"u8 : "false"u8);
                    break;
                case DataType.Date:
                    output.WriteByte((byte)'"');
                    output.Advance(Utf8Values.WriteDate(col.Int64[r], output.GetSpan(16)));
                    output.WriteByte((byte)'"');
                    break;
                case DataType.Timestamp:
                    output.WriteByte((byte)'"');
                    output.Advance(Utf8Values.WriteTimestamp(col.Int64[r], output.GetSpan(40)));
                    output.WriteByte((byte)'"');
                    break;
                case DataType.Json:
                    output.Write(col.Utf8.Get(r));
                    break;
                default:
                    WriteString(output, col.Utf8.Get(r));
                    break;
            }
        }

        output.WriteByte((byte)'}');
    }

    public static void WriteString(Utf8Output output, ReadOnlySpan<byte> s)
    {
        output.WriteByte((byte)'"');
        while (true)
        {
            var i = s.IndexOfAny(Utf8Values.JsonSpecial);
            if (i < 0)
            {
                output.Write(s);
                break;
            }

            output.Write(s[..i]);
            var b = s[i];
            switch (b)
            {
                case (byte)'"': output.Write("\\\""u8); break;
                case (byte)'\\': output.Write("\\\\"u8); break;
                case (byte)'\n': output.Write("\\n"u8); break;
                case (byte)'\r': output.Write("\\r"u8); break;
                case (byte)'\t': output.Write("\\t"u8); break;
                default:
                    output.Write("\\u00"u8);
                    output.WriteByte((byte)"0123456789abcdef"[b >> 4]);
                    output.WriteByte((byte)"0123456789abcdef"[b & 15]);
                    break;
            }

            s = s[(i + 1)..];
        }

        output.WriteByte((byte)'"');
    }
}

/// <summary>JSON Lines: one JSON object per row, LF-terminated.</summary>
public sealed class JsonLinesFormat : IRowEncodingFormat
{
    public string Name => "jsonl";

    public string Extension => "jsonl";

    public string ContentType => "application/x-ndjson";

    public bool Concatenates => true;

    public ITableFormatWriter Open(Stream output, TableSchema schema, FilePart part) => new Writer(output, schema);

    public void EncodeRows(RowBatch batch, Utf8Output output) => JsonRowWriter.WriteRows(output, batch, JsonRowWriter.Prefixes(batch.Schema), [], "\n"u8);

    private sealed class Writer(Stream stream, TableSchema schema) : ITableFormatWriter, IEncodedRowsWriter
    {
        private readonly Utf8Output _out = new(stream);
        private readonly byte[][] _prefixes = JsonRowWriter.Prefixes(schema);

        public void Write(RowBatch batch) => JsonRowWriter.WriteRows(_out, batch, _prefixes, [], "\n"u8);

        public void WriteEncoded(ReadOnlySpan<byte> rows) => _out.Write(rows);

        public (long Bytes, string Sha256) Complete()
        {
            var hash = _out.Finish();
            return (_out.BytesWritten, hash);
        }

        public void Dispose() => _out.Dispose();
    }
}

/// <summary>
/// One JSON document: an array of row objects. Shard 0 writes <c>[</c>, the last shard <c>]</c>, and every
/// row but the first row of the first part is preceded by a comma, so shard files concatenate into the single-run file.
/// </summary>
public sealed class JsonArrayFormat : IRowEncodingFormat
{
    public string Name => "json";

    public string Extension => "json";

    public string ContentType => "application/json";

    public bool Concatenates => true;

    public ITableFormatWriter Open(Stream output, TableSchema schema, FilePart part) => new Writer(output, schema, part);

    /// <summary>Every row as <c>,\n{…}</c>; the writer drops the comma of the file's very first row.</summary>
    public void EncodeRows(RowBatch batch, Utf8Output output) => JsonRowWriter.WriteRows(output, batch, JsonRowWriter.Prefixes(batch.Schema), ",\n"u8, []);

    private sealed class Writer : ITableFormatWriter, IEncodedRowsWriter
    {
        private readonly Utf8Output _out;
        private readonly byte[][] _prefixes;
        private readonly FilePart _part;
        private bool _first = true;

        public Writer(Stream stream, TableSchema schema, FilePart part)
        {
            _out = new Utf8Output(stream);
            _prefixes = JsonRowWriter.Prefixes(schema);
            _part = part;
            if (part.IsFirstPart)
            {
                _out.WriteByte((byte)'[');
            }
        }

        public void Write(RowBatch batch)
        {
            for (var r = 0; r < batch.Count; r++)
            {
                // The file's first row has no comma only in the first part; later shards continue the array.
                _out.Write(_first && _part.IsFirstPart ? "\n"u8 : ",\n"u8);
                _first = false;
                JsonRowWriter.WriteRow(_out, batch, r, _prefixes);
            }
        }

        public void WriteEncoded(ReadOnlySpan<byte> rows)
        {
            if (rows.IsEmpty)
            {
                return;
            }

            if (_first && _part.IsFirstPart)
            {
                rows = rows[1..]; // ",\n{…}" → "\n{…}": the array's first row has no comma
            }

            _first = false;
            _out.Write(rows);
        }

        public (long Bytes, string Sha256) Complete()
        {
            if (_part.IsLastPart)
            {
                _out.Write("\n]\n"u8);
            }

            var hash = _out.Finish();
            return (_out.BytesWritten, hash);
        }

        public void Dispose() => _out.Dispose();
    }
}
