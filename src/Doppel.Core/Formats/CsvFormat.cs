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
            // Once per batch and column: can its text be copied as is? (No separator, quote or line break
            // anywhere in the column's arena, and no empty string, which CSV writes as "".)
            var plain = _plain.Length == cols.Length ? _plain : _plain = new bool[cols.Length];
            var fixedBytes = 1; // line end
            for (var c = 0; c < cols.Length; c++)
            {
                var col = cols[c];
                fixedBytes += 1 + MaxBytes(col.Type);
                plain[c] = col.Type.UsesUtf8() && col.Utf8.Used.IndexOfAny(Utf8Values.CsvSpecial) < 0 && !col.Utf8.Lengths.AsSpan(0, batch.Count).Contains(0);
            }

            for (var r = 0; r < batch.Count; r++)
            {
                // Room for the whole row (text quoted and every quote doubled, plus a vector's slack), so cells skip bounds checks on the buffer.
                var max = fixedBytes;
                for (var c = 0; c < cols.Length; c++)
                {
                    if (cols[c].Type.UsesUtf8())
                    {
                        max += (2 * cols[c].Utf8.Lengths[r]) + 2;
                    }
                }

                if (max > _out.Capacity)
                {
                    WriteRowSlowly(cols, r);
                    continue;
                }

                var dest = _out.GetSpan(max);
                var n = 0;
                for (var c = 0; c < cols.Length; c++)
                {
                    if (c > 0)
                    {
                        dest[n++] = (byte)',';
                    }

                    var col = cols[c];
                    if (col.Nulls[r])
                    {
                        continue;
                    }

                    switch (col.Type)
                    {
                        case DataType.Int:
                            n += Utf8Values.WriteInt(col.Int64[r], dest[n..]);
                            break;
                        case DataType.Float:
                            n += Utf8Values.WriteDouble(col.Float64[r], dest[n..]);
                            break;
                        case DataType.Bool:
                            (col.Int64[r] != 0 ? "true"u8 : "false"u8).CopyTo(dest[n..]);
                            n += col.Int64[r] != 0 ? 4 : 5;
                            break;
                        case DataType.Date:
                            n += Utf8Values.WriteDate(col.Int64[r], dest[n..]);
                            break;
                        case DataType.Timestamp:
                            n += Utf8Values.WriteTimestamp(col.Int64[r], dest[n..]);
                            break;
                        default:
                            n += plain[c] ? Utf8Values.CopyShort(col.Utf8, r, dest[n..]) : WriteText(col.Utf8.Get(r), dest[n..]);
                            break;
                    }
                }

                dest[n++] = (byte)'\n';
                _out.Advance(n);
            }
        }

        private bool[] _plain = [];

        /// <summary>The most bytes a non-text value takes (text is counted per row).</summary>
        private static int MaxBytes(DataType type) => type switch
        {
            DataType.Int => 20,
            DataType.Float => 32,
            DataType.Bool => 5,
            DataType.Date => 10,
            DataType.Timestamp => 32,
            _ => 16, // slack for a 16-byte vector copy
        };

        /// <summary>A row too long for one buffer span (megabytes of text): written value by value.</summary>
        private void WriteRowSlowly(ColumnBuffer[] cols, int r)
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

        /// <summary>Writes a text field, quoted when needed, into <paramref name="dest"/> (room for 2 × length + 2); returns the bytes written.</summary>
        private static int WriteText(ReadOnlySpan<byte> text, Span<byte> dest)
        {
            if (text.Length == 0)
            {
                dest[0] = (byte)'"';
                dest[1] = (byte)'"';
                return 2;
            }

            if (text.IndexOfAny(Utf8Values.CsvSpecial) < 0)
            {
                text.CopyTo(dest);
                return text.Length;
            }

            var n = 0;
            dest[n++] = (byte)'"';
            foreach (var b in text)
            {
                dest[n++] = b;
                if (b == (byte)'"')
                {
                    dest[n++] = b;
                }
            }

            dest[n++] = (byte)'"';
            return n;
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
