using System.Text;
using Doppel.Data;

namespace Doppel.Formats;

/// <summary>
/// RFC 4180 CSV: comma separator, CRLF-free (LF line ends), header row, fields quoted only when they
/// contain a comma, quote or line break. A null is an empty unquoted field; an empty string is <c>""</c>
/// (the convention PostgreSQL's COPY uses), so the two stay distinguishable.
/// </summary>
public sealed class CsvFormat : ITableFormat
{
    public string Name => "csv";

    public string Extension => "csv";

    public string ContentType => "text/csv";

    public bool Concatenates => true;

    public ITableFormatWriter Open(Stream output, TableSchema schema, FilePart part) => new Writer(output, schema, part);

    private sealed class Writer : ITableFormatWriter
    {
        private readonly Utf8Output _out;

        public Writer(Stream output, TableSchema schema, FilePart part)
        {
            _out = new Utf8Output(output);
            if (part.IsFirstPart)
            {
                for (var i = 0; i < schema.Columns.Count; i++)
                {
                    if (i > 0)
                    {
                        _out.WriteByte((byte)',');
                    }

                    WriteText(_out, Encoding.UTF8.GetBytes(schema.Columns[i].Name));
                }

                _out.WriteByte((byte)'\n');
            }
        }

        public void Write(RowBatch batch)
        {
            var cols = batch.Columns;
            for (var r = 0; r < batch.Count; r++)
            {
                for (var c = 0; c < cols.Length; c++)
                {
                    if (c > 0)
                    {
                        _out.WriteByte((byte)',');
                    }

                    var col = cols[c];
                    if (col.Nulls[r])
                    {
                        continue;
                    }

                    switch (col.Type)
                    {
                        case DataType.Int:
                            _out.Advance(Utf8Values.WriteInt(col.Int64[r], _out.GetSpan(24)));
                            break;
                        case DataType.Float:
                            _out.Advance(Utf8Values.WriteDouble(col.Float64[r], _out.GetSpan(32)));
                            break;
                        case DataType.Bool:
                            _out.Write(col.Int64[r] != 0 ? "true"u8 : "false"u8);
                            break;
                        case DataType.Date:
                            _out.Advance(Utf8Values.WriteDate(col.Int64[r], _out.GetSpan(16)));
                            break;
                        case DataType.Timestamp:
                            _out.Advance(Utf8Values.WriteTimestamp(col.Int64[r], _out.GetSpan(40)));
                            break;
                        default:
                            WriteText(_out, col.Utf8.Get(r));
                            break;
                    }
                }

                _out.WriteByte((byte)'\n');
            }
        }

        private static void WriteText(Utf8Output output, ReadOnlySpan<byte> text)
        {
            if (text.Length == 0)
            {
                output.Write("\"\""u8);
                return;
            }

            if (text.IndexOfAny(Utf8Values.CsvSpecial) < 0)
            {
                output.Write(text);
                return;
            }

            output.WriteByte((byte)'"');
            while (true)
            {
                var q = text.IndexOf((byte)'"');
                if (q < 0)
                {
                    output.Write(text);
                    break;
                }

                output.Write(text[..(q + 1)]);
                output.WriteByte((byte)'"');
                text = text[(q + 1)..];
            }

            output.WriteByte((byte)'"');
        }

        public (long Bytes, string Sha256) Complete()
        {
            var hash = _out.Finish();
            return (_out.BytesWritten, hash);
        }

        public void Dispose() => _out.Dispose();
    }
}
