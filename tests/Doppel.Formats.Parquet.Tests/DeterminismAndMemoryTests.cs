using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Doppel.Formats.Parquet.Tests;

public sealed class DeterminismAndMemoryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ParquetCompression.Gzip)]
    [InlineData(ParquetCompression.Brotli)]
    public void Same_rows_give_byte_identical_files_whatever_the_batch_size(ParquetCompression compression)
    {
        // Given row groups cut both by row count and by a small byte budget
        var table = Tables.AllTypes(20_000, seed: 11);
        var options = ParquetWriterOptions.Default with { Compression = compression, RowGroupMaxRows = 7000, RowGroupMaxBytes = 100_000 };

        // When the same rows are written twice, in differently sized batches
        var first = table.Write(options, batchRows: 1000);
        var again = table.Write(options, batchRows: 1000);
        var odd = table.Write(options, batchRows: 777);
        var whole = table.Write(options, batchRows: 20_000);

        // Then the bytes are identical
        again.Should().Equal(first);
        odd.Should().Equal(first);
        whole.Should().Equal(first);
    }

    [Fact]
    public void Five_million_rows_stream_in_bounded_memory_and_DuckDB_counts_them_all()
    {
        // Given one reused 8192-row batch of 6 columns, refilled 611 times
        const int total = 5_000_000;
        const int batchRows = 8192;
        var schema = new ParquetSchema(
            new ParquetColumn("id", ParquetType.Int64, false),
            new ParquetColumn("value", ParquetType.Double, true),
            new ParquetColumn("city", ParquetType.String, false),
            new ParquetColumn("at", ParquetType.TimestampMicrosUtc, false),
            new ParquetColumn("flag", ParquetType.Boolean, false),
            new ParquetColumn("n", ParquetType.Int32, false));
        var ids = new long[batchRows];
        var values = new double[batchRows];
        var nulls = new bool[batchRows];
        var times = new long[batchRows];
        var flags = new bool[batchRows];
        var ns = new int[batchRows];
        var cityBytes = Encoding.UTF8.GetBytes(string.Concat(Tables.Cities));
        var cityStarts = new int[Tables.Cities.Length];
        for (var i = 1; i < cityStarts.Length; i++)
        {
            cityStarts[i] = cityStarts[i - 1] + Tables.Cities[i - 1].Length;
        }

        var starts = new int[batchRows];
        var lengths = new int[batchRows];
        var path = Path.Combine(Path.GetTempPath(), $"doppel-parquet-big-{Guid.NewGuid():N}.parquet");
        try
        {
            long allocated;
            int rowGroups;
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var batch = new ParquetBatch(schema);
                var writer = new ParquetFileWriter(file, schema, ParquetWriterOptions.Default with { Compression = ParquetCompression.None });
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (long start = 0; start < total; start += batchRows)
                {
                    var n = (int)Math.Min(batchRows, total - start);
                    for (var i = 0; i < n; i++)
                    {
                        var id = start + i;
                        ids[i] = id;
                        values[i] = id * 0.5;
                        nulls[i] = id % 10 == 0;
                        times[i] = 1_700_000_000_000_000L + (id * 1_000_003L);
                        flags[i] = (id & 1) == 0;
                        ns[i] = (int)(id % 1000);
                        var city = (int)(id % Tables.Cities.Length);
                        starts[i] = cityStarts[city];
                        lengths[i] = Tables.Cities[city].Length;
                    }

                    batch.Reset(n);
                    batch.SetInt64(0, ids.AsMemory(0, n));
                    batch.SetDouble(1, values.AsMemory(0, n), nulls.AsMemory(0, n));
                    batch.SetUtf8(2, cityBytes, starts.AsMemory(0, n), lengths.AsMemory(0, n));
                    batch.SetInt64(3, times.AsMemory(0, n));
                    batch.SetBoolean(4, flags.AsMemory(0, n));
                    batch.SetInt32(5, ns.AsMemory(0, n));
                    writer.WriteBatch(batch);
                }

                writer.Dispose();
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                rowGroups = writer.RowGroupCount;
            }

            output.WriteLine($"5M rows: {allocated / 1e6:F1} MB allocated in total, {new FileInfo(path).Length / 1e6:F1} MB file, {rowGroups} row groups");

            // Then memory does not grow with rows: the raw values are 165 MB, but the writer only allocates its
            // row-group buffers (131,072 rows, grown by doubling, then reused) plus small per-row-group metadata.
            allocated.Should().BeLessThan(32L << 20);
            rowGroups.Should().Be(39);
            var result = NodeReaders.Query(path, "SELECT count(*) AS n, sum(id) AS s, count(value) AS v, count(DISTINCT city) AS c, max(\"at\") AS m FROM t")[0];
            result.GetProperty("n").GetString().Should().Be("5000000");
            result.GetProperty("s").GetString().Should().Be((((long)total - 1) * total / 2).ToString(CultureInfo.InvariantCulture));
            result.GetProperty("v").GetString().Should().Be("4500000");
            result.GetProperty("c").GetString().Should().Be("7");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_throughput_for_one_million_rows_of_eight_columns_is_recorded_per_codec()
    {
        // A quick measurement (not a benchmark): 1M rows × 8 columns per codec to a counting stream. Values are a
        // function of the row index (no repetition between batches); only Set… and WriteBatch are timed.
        const int Rows = 1_000_000;
        const int batchRows = 8192;
        var schema = new ParquetSchema(
            new ParquetColumn("id", ParquetType.Int64, false),
            new ParquetColumn("amount", ParquetType.Double, true),
            new ParquetColumn("city", ParquetType.String, false),
            new ParquetColumn("email", ParquetType.String, false),
            new ParquetColumn("at", ParquetType.TimestampMicrosUtc, false),
            new ParquetColumn("born", ParquetType.Date, true),
            new ParquetColumn("active", ParquetType.Boolean, false),
            new ParquetColumn("score", ParquetType.Int32, false));
        var ids = new long[batchRows];
        var amounts = new double[batchRows];
        var nulls = new bool[batchRows];
        var times = new long[batchRows];
        var days = new int[batchRows];
        var active = new bool[batchRows];
        var scores = new int[batchRows];
        var cityBytes = Encoding.UTF8.GetBytes(string.Concat(Tables.Cities));
        var cityStartOf = Tables.Cities.Select((_, c) => Tables.Cities.Take(c).Sum(x => x.Length)).ToArray();
        var cityStarts = new int[batchRows];
        var cityLengths = new int[batchRows];
        var emailBytes = new byte[batchRows * 40];
        var emailOffsets = new int[batchRows + 1];
        long rawBytes = 0;

        // A first uncompressed pass only warms up the tiered JIT (hot methods need 30+ calls) and is not reported.
        foreach (var (compression, total) in new[] { (ParquetCompression.None, 800_000), (ParquetCompression.None, Rows), (ParquetCompression.Gzip, Rows), (ParquetCompression.Brotli, Rows) })
        {
            var counting = new CountingStream();
            var batch = new ParquetBatch(schema);
            var clock = new Stopwatch();
            rawBytes = 0;
            using (var writer = new ParquetFileWriter(counting, schema, ParquetWriterOptions.Default with { Compression = compression }))
            {
                for (var start = 0; start < total; start += batchRows)
                {
                    var n = Math.Min(batchRows, total - start);
                    for (var i = 0; i < n; i++)
                    {
                        long row = start + i;
                        var mix = (ulong)row * 0x9E3779B97F4A7C15UL;
                        mix ^= mix >> 29;
                        ids[i] = row;
                        amounts[i] = (mix % 1_000_000) / 100.0;
                        nulls[i] = row % 17 == 0;
                        times[i] = 1_700_000_000_000_000L + (row * 1_000_003L);
                        days[i] = (int)(mix % 40_000) - 20_000;
                        active[i] = (mix & 1) == 0;
                        scores[i] = (int)(mix % 1000);
                        var city = (int)(mix % (ulong)Tables.Cities.Length);
                        cityStarts[i] = cityStartOf[city];
                        cityLengths[i] = Tables.Cities[city].Length;
                        var at = emailOffsets[i];
                        "user"u8.CopyTo(emailBytes.AsSpan(at));
                        row.TryFormat(emailBytes.AsSpan(at + 4), out var digits, default, CultureInfo.InvariantCulture);
                        "@example.com"u8.CopyTo(emailBytes.AsSpan(at + 4 + digits));
                        emailOffsets[i + 1] = at + 16 + digits;
                        rawBytes += 8 + 8 + cityLengths[i] + 16 + digits + 8 + 4 + 1 + 4;
                    }

                    clock.Start();
                    batch.Reset(n);
                    batch.SetInt64(0, ids.AsMemory(0, n));
                    batch.SetDouble(1, amounts.AsMemory(0, n), nulls.AsMemory(0, n));
                    batch.SetUtf8(2, cityBytes, cityStarts.AsMemory(0, n), cityLengths.AsMemory(0, n));
                    batch.SetUtf8(3, emailBytes, emailOffsets.AsMemory(0, n + 1));
                    batch.SetInt64(4, times.AsMemory(0, n));
                    batch.SetInt32(5, days.AsMemory(0, n), nulls.AsMemory(0, n));
                    batch.SetBoolean(6, active.AsMemory(0, n));
                    batch.SetInt32(7, scores.AsMemory(0, n));
                    writer.WriteBatch(batch);
                    clock.Stop();
                }

                clock.Start();
            }

            clock.Stop();
            var seconds = clock.Elapsed.TotalSeconds;
            if (total != Rows)
            {
                continue;
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{compression,-7}: {total / seconds / 1e6:F2} M rows/s, {rawBytes / seconds / 1e6:F0} MB/s of values in, {counting.Length / seconds / 1e6:F1} MB/s out, file {counting.Length / 1e6:F1} MB, {seconds:F2} s"));
            (total / seconds).Should().BeGreaterThan(100_000, "even a loaded CI machine should write 100K rows/s");
        }
    }

    /// <summary>A write-only stream that only counts bytes.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
