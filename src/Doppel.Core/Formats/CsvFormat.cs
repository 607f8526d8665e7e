using System.Runtime.CompilerServices;
using System.Text;
using Doppel.Data;

namespace Doppel.Formats;

/// <summary>
/// RFC 4180 CSV: comma separator, CRLF-free (LF line ends), header row, fields quoted only when they
/// contain a comma, quote or line break. A null is an empty unquoted field; an empty string is <c>""</c>
/// (the convention PostgreSQL's COPY uses), so the two stay distinguishable.
/// </summary>
public sealed class CsvFormat : IRowEncodingFormat
{
    public string Name => "csv";

    public string Extension => "csv";

    public string ContentType => "text/csv";

    public bool Concatenates => true;

    public ITableFormatWriter Open(Stream output, TableSchema schema, FilePart part) => new Writer(output, schema, part);

    public void EncodeRows(RowBatch batch, Utf8Output output) => Encode(batch, output);

    private sealed class Writer : ITableFormatWriter, IEncodedRowsWriter
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

        public void Write(RowBatch batch) => Encode(batch, _out);

        public void WriteEncoded(ReadOnlySpan<byte> rows) => _out.Write(rows);

        public (long Bytes, string Sha256) Complete()
        {
            var hash = _out.Finish();
            return (_out.BytesWritten, hash);
        }

        public void Dispose() => _out.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Encode(RowBatch batch, Utf8Output output)
    {
        var cols = batch.Columns;
        var count = batch.Count;
        Span<Kind> kinds = cols.Length <= 256 ? stackalloc Kind[cols.Length] : new Kind[cols.Length];

        // Once per batch and column: how its cells are written, and the most bytes a row can take
        // (text quoted with every quote doubled, plus a vector's slack for short copies).
        var rowMax = 1;
        for (var c = 0; c < cols.Length; c++)
        {
            var col = cols[c];
            kinds[c] = KindOf(col, count);
            rowMax += 1 + (col.Type.UsesUtf8() ? (2 * MaxLength(col.Utf8.Lengths.AsSpan(0, count))) + 18 : MaxBytes(col.Type));
        }

        if (rowMax > output.Capacity)
        {
            for (var r = 0; r < count; r++)
            {
                WriteRowSlowly(output, cols, kinds, r);
            }

            return;
        }

        for (var r = 0; r < count; r++)
        {
            var dest = output.GetSpan(rowMax);
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

                n += WriteCell(kinds[c], col, r, dest[n..]);
            }

            dest[n++] = (byte)'\n';
            output.Advance(n);
        }
    }

    private enum Kind : byte
    {
        PlainText,
        Text,
        Int,
        Float,
        Bool,
        Date,
        Timestamp,
    }

    /// <summary>
    /// Text can be copied as is when the batch's whole arena holds no separator, quote or line break and no
    /// value is empty (CSV writes an empty string as "" to keep it apart from a null).
    /// </summary>
    private static Kind KindOf(ColumnBuffer col, int count) => col.Type switch
    {
        DataType.Int => Kind.Int,
        DataType.Float => Kind.Float,
        DataType.Bool => Kind.Bool,
        DataType.Date => Kind.Date,
        DataType.Timestamp => Kind.Timestamp,
        _ => col.Utf8.Used.IndexOfAny(Utf8Values.CsvSpecial) < 0 && !col.Utf8.Lengths.AsSpan(0, count).Contains(0) ? Kind.PlainText : Kind.Text,
    };

    private static int MaxLength(ReadOnlySpan<int> lengths)
    {
        var max = 0;
        foreach (var length in lengths)
        {
            max = Math.Max(max, length);
        }

        return max;
    }

    private static int WriteBool(bool value, Span<byte> dest)
    {
        var text = value ? "true"u8 : "false"u8;
        text.CopyTo(dest);
        return text.Length;
    }

    /// <summary>The most bytes a non-text value takes (text is counted per row).</summary>
    private static int MaxBytes(DataType type) => type switch
    {
        DataType.Int => 20,
        DataType.Float => 32,
        DataType.Bool => 5,
        DataType.Date => 10,
        DataType.Timestamp => 32,
        _ => 0,
    };

    /// <summary>One cell into <paramref name="dest"/> (room for its largest form, plus a vector's slack for short text).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteCell(Kind kind, ColumnBuffer col, int r, Span<byte> dest) => kind switch
    {
        Kind.PlainText => Utf8Values.CopyShort(col.Utf8, r, dest),
        Kind.Text => WriteText(col.Utf8.Get(r), dest),
        Kind.Int => Utf8Values.WriteInt(col.Int64[r], dest),
        Kind.Date => Utf8Values.WriteDate(col.Int64[r], dest),
        Kind.Timestamp => Utf8Values.WriteTimestamp(col.Int64[r], dest),
        Kind.Float => Utf8Values.WriteDouble(col.Float64[r], dest),
        _ => WriteBool(col.Int64[r] != 0, dest),
    };

    /// <summary>
    /// A row too long for one buffer span (megabytes of text): cell by cell, each in its own span, and a text cell
    /// larger than the whole buffer streamed through it.
    /// </summary>
    private static void WriteRowSlowly(Utf8Output output, ColumnBuffer[] cols, ReadOnlySpan<Kind> kinds, int r)
    {
        for (var c = 0; c < cols.Length; c++)
        {
            if (c > 0)
            {
                output.WriteByte((byte)',');
            }

            var col = cols[c];
            if (col.Nulls[r])
            {
                continue;
            }

            var max = col.Type.UsesUtf8() ? (2 * col.Utf8.Length(r)) + 18 : MaxBytes(col.Type);
            if (max <= output.Capacity)
            {
                output.Advance(WriteCell(kinds[c], col, r, output.GetSpan(max)));
            }
            else
            {
                WriteText(output, col.Utf8.Get(r));
            }
        }

        output.WriteByte((byte)'\n');
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
}
