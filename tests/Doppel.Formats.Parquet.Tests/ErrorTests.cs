using System.Text;

namespace Doppel.Formats.Parquet.Tests;

public sealed class ErrorTests
{
    private static readonly ParquetSchema Schema = new(
        new ParquetColumn("id", ParquetType.Int64, false),
        new ParquetColumn("n", ParquetType.Int32, true),
        new ParquetColumn("s", ParquetType.String, false),
        new ParquetColumn("b", ParquetType.Boolean, true));

    [Fact]
    public void A_null_in_a_required_column_names_the_column_and_row()
    {
        var batch = new ParquetBatch(Schema, 3);
        var act = () => batch.SetInt64(0, new long[3], new[] { false, false, true });
        act.Should().Throw<ArgumentException>().WithMessage("Parquet batch: column 'id' row 2: the value is null but the column is not nullable.");
        var strings = () => batch.SetStrings(2, ["a", null, "c"]);
        strings.Should().Throw<ArgumentException>().WithMessage("*column 's' row 1: the value is null but the column is not nullable*");
    }

    [Fact]
    public void A_setter_for_the_wrong_type_is_rejected()
    {
        var batch = new ParquetBatch(Schema, 1);
        var act = () => batch.SetDouble(0, new double[1]);
        act.Should().Throw<ArgumentException>().WithMessage("Parquet batch: column 'id' is Int64; SetDouble cannot set it.");
        var index = () => batch.SetInt64(9, new long[1]);
        index.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*column index 9 is outside 0..3*");
    }

    [Fact]
    public void Lengths_that_do_not_match_the_row_count_are_rejected()
    {
        var batch = new ParquetBatch(Schema, 3);
        var values = () => batch.SetInt64(0, new long[2]);
        values.Should().Throw<ArgumentException>().WithMessage("*column 'id': SetInt64 got 2 values but the batch has 3 rows*");
        var mask = () => batch.SetInt32(1, new int[3], new bool[4]);
        mask.Should().Throw<ArgumentException>().WithMessage("*the null mask has 4 entries but the batch has 3 rows*");
    }

    [Fact]
    public void Narrowing_from_long_checks_the_range()
    {
        var batch = new ParquetBatch(Schema, 2);
        var tooBig = () => batch.SetInt64(1, new[] { 1L, 1L << 40 });
        tooBig.Should().Throw<ArgumentException>().WithMessage("*column 'n' row 1: value 1099511627776 does not fit the column's 32-bit type Int32*");
        var notBool = () => batch.SetInt64(3, new[] { 0L, 2L });
        notBool.Should().Throw<ArgumentException>().WithMessage("*column 'b' row 1: value 2 is not a boolean; use 0 or 1*");

        // Out-of-range garbage in a null slot is fine
        batch.SetInt64(1, new[] { 5L, long.MaxValue }, new[] { false, true });
    }

    [Fact]
    public void Invalid_UTF8_and_unpaired_surrogates_are_rejected()
    {
        var batch = new ParquetBatch(Schema, 2);
        var bytes = () => batch.SetUtf8(2, new byte[] { 0x61, 0xC3 }, new[] { 0, 1, 2 });
        bytes.Should().Throw<ArgumentException>().WithMessage("*column 's' row 1: the value is not valid UTF-8*");
        var surrogate = () => batch.SetStrings(2, ["ok", "bad\uD800"]);
        surrogate.Should().Throw<ArgumentException>().WithMessage("*column 's' row 1: the string contains an unpaired surrogate*");
        var outside = () => batch.SetUtf8(2, "abc"u8.ToArray(), new[] { 0, 2 }, new[] { 1, 5 });
        outside.Should().Throw<ArgumentException>().WithMessage("*row 1: the value's bytes [2, +5) lie outside the 3-byte buffer*");
        var backwards = () => batch.SetUtf8(2, "abc"u8.ToArray(), new[] { 0, 2, 1 });
        backwards.Should().Throw<ArgumentException>().WithMessage("*row 1: offsets decrease (2 then 1)*");
    }

    [Fact]
    public void Schemas_need_unique_non_empty_names()
    {
        var duplicate = () => new ParquetSchema(new ParquetColumn("Id", ParquetType.Int64, false), new ParquetColumn("id", ParquetType.Int32, false));
        duplicate.Should().Throw<ArgumentException>().WithMessage("Column name 'id' appears twice*");
        var empty = () => new ParquetSchema(new ParquetColumn("", ParquetType.Int64, false));
        empty.Should().Throw<ArgumentException>().WithMessage("Column 0 has an empty name*");
        var none = () => new ParquetSchema();
        none.Should().Throw<ArgumentException>().WithMessage("A Parquet schema needs at least one column*");
        var unknown = () => new ParquetSchema(new ParquetColumn("x", (ParquetType)99, false));
        unknown.Should().Throw<ArgumentException>().WithMessage("Column 'x' has unknown type 99*");
    }

    [Fact]
    public void Out_of_range_options_say_what_is_allowed()
    {
        using var stream = new MemoryStream();
        var act = () => new ParquetFileWriter(stream, Schema, ParquetWriterOptions.Default with { RowGroupMaxRows = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("ParquetWriterOptions.RowGroupMaxRows = 0 is invalid; use >= 1.");
        var page = () => new ParquetFileWriter(stream, Schema, ParquetWriterOptions.Default with { DataPageMaxBytes = 10 });
        page.Should().Throw<ArgumentException>().WithMessage("ParquetWriterOptions.DataPageMaxBytes = 10 is invalid; use >= 1024.");
        var readOnly = () => new ParquetFileWriter(new MemoryStream([], writable: false), Schema);
        readOnly.Should().Throw<ArgumentException>().WithMessage("The Parquet output stream is not writable.*");
    }

    [Fact]
    public void Every_column_must_be_set_and_the_batch_must_share_the_writer_schema()
    {
        using var stream = new MemoryStream();
        using var writer = new ParquetFileWriter(stream, Schema);
        var batch = new ParquetBatch(Schema, 1);
        batch.SetInt64(0, new long[1]);
        var missing = () => writer.WriteBatch(batch);
        missing.Should().Throw<ArgumentException>().WithMessage("Parquet batch: column 'n' (Int32) was not set*");

        var other = new ParquetBatch(new ParquetSchema(Schema.Columns), 0);
        var foreign = () => writer.WriteBatch(other);
        foreign.Should().Throw<ArgumentException>().WithMessage("The Parquet batch was created for a different ParquetSchema*");

        // Reset forgets the columns set before
        Fill(batch);
        batch.Reset(1);
        missing.Should().Throw<ArgumentException>().WithMessage("*column 'id' (Int64) was not set*");
    }

    [Fact]
    public void Writing_after_close_fails_and_close_is_idempotent()
    {
        using var stream = new MemoryStream();
        var writer = new ParquetFileWriter(stream, Schema);
        var batch = new ParquetBatch(Schema, 1);
        Fill(batch);
        writer.WriteBatch(batch);
        writer.Close();
        var length = stream.Length;
        writer.Close();
        writer.Dispose();
        stream.Length.Should().Be(length);
        Encoding.ASCII.GetString(stream.ToArray()[^4..]).Should().Be("PAR1");
        var act = () => writer.WriteBatch(batch);
        act.Should().Throw<InvalidOperationException>().WithMessage("The Parquet writer is closed*");
    }

    [Fact]
    public void A_failed_write_breaks_the_writer_and_dispose_adds_no_footer()
    {
        // Given a stream that fails once the first row group is being written
        var stream = new FailingStream(failAfterBytes: 10);
        var writer = new ParquetFileWriter(stream, Schema, ParquetWriterOptions.Default with { RowGroupMaxRows = 1 });
        var batch = new ParquetBatch(Schema, 1);
        Fill(batch);

        var first = () => writer.WriteBatch(batch);
        first.Should().Throw<IOException>();
        var second = () => writer.WriteBatch(batch);
        second.Should().Throw<InvalidOperationException>().WithMessage("An earlier Parquet write failed; the file is incomplete and should be discarded.");
        writer.Dispose();
        stream.Attempts.Should().Be(2, "nothing is written after the failure: magic, then the failing page header");
    }

    [Fact]
    public void Timestamp_and_date_helpers_convert_to_Parquet_integers()
    {
        ParquetValues.ToDays(new DateOnly(1970, 1, 2)).Should().Be(1);
        ParquetValues.ToDays(new DateOnly(1969, 12, 31)).Should().Be(-1);
        ParquetValues.ToMicros(new DateTime(1970, 1, 1, 0, 0, 1, DateTimeKind.Utc)).Should().Be(1_000_000);
        ParquetValues.ToMicros(DateTime.UnixEpoch.AddTicks(-1)).Should().Be(-1, "sub-microsecond ticks round toward minus infinity");
        ParquetValues.ToMicros(new DateTimeOffset(1970, 1, 1, 1, 0, 0, TimeSpan.FromHours(1))).Should().Be(0);
    }

    private static void Fill(ParquetBatch batch)
    {
        batch.SetInt64(0, new long[batch.RowCount]);
        batch.SetInt32(1, new int[batch.RowCount]);
        batch.SetStrings(2, Enumerable.Repeat<string?>("x", batch.RowCount).ToArray());
        batch.SetBoolean(3, new bool[batch.RowCount]);
    }

    private sealed class FailingStream(int failAfterBytes) : MemoryStream
    {
        public int Attempts { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Attempts++;
            if (Length + buffer.Length > failAfterBytes)
            {
                throw new IOException("disk full");
            }

            base.Write(buffer);
        }
    }
}
