using System.Security.Cryptography;
using Doppel.Data;
using Doppel.Formats;
using Doppel.Formats.Parquet;

namespace Doppel.Cli;

/// <summary>Adapts the engine's columnar batches to Doppel's own Parquet writer (GZIP by default).</summary>
internal sealed class ParquetTableFormat(ParquetCompression compression = ParquetCompression.Gzip) : ITableFormat
{
    public string Name => "parquet";

    public string Extension => "parquet";

    public string ContentType => "application/vnd.apache.parquet";

    public bool Concatenates => false;

    public ITableFormatWriter Open(Stream output, TableSchema schema, FilePart part) => new Writer(output, schema, compression);

    private sealed class Writer : ITableFormatWriter
    {
        private readonly HashStream _out;
        private readonly ParquetSchema _schema;
        private readonly ParquetFileWriter _writer;
        private readonly ParquetBatch _batch;

        public Writer(Stream output, TableSchema schema, ParquetCompression compression)
        {
            _out = new HashStream(output);
            _schema = new ParquetSchema(schema.Columns.Select(c => new ParquetColumn(c.Name, c.Type switch
            {
                DataType.Int => ParquetType.Int64,
                DataType.Float => ParquetType.Double,
                DataType.Bool => ParquetType.Boolean,
                DataType.Date => ParquetType.Date,
                DataType.Timestamp => ParquetType.TimestampMicrosUtc,
                _ => ParquetType.String,
            }, true)));
            _writer = new ParquetFileWriter(_out, _schema, ParquetWriterOptions.Default with { Compression = compression });
            _batch = new ParquetBatch(_schema);
        }

        public void Write(RowBatch batch)
        {
            var n = batch.Count;
            _batch.Reset(n);
            for (var i = 0; i < batch.Columns.Length; i++)
            {
                var c = batch.Columns[i];
                var nulls = c.Nulls.AsMemory(0, n);
                switch (c.Type)
                {
                    case DataType.Float:
                        _batch.SetDouble(i, c.Float64.AsMemory(0, n), nulls);
                        break;
                    case DataType.String or DataType.Json:
                        _batch.SetUtf8(i, c.Utf8.Data, c.Utf8.Starts.AsMemory(0, n), c.Utf8.Lengths.AsMemory(0, n), nulls);
                        break;
                    default:
                        _batch.SetInt64(i, c.Int64.AsMemory(0, n), nulls);
                        break;
                }
            }

            _writer.WriteBatch(_batch);
        }

        public (long Bytes, string Sha256) Complete()
        {
            _writer.Close();
            _out.Flush();
            return (_out.Bytes, _out.Hex());
        }

        public void Dispose() => _writer.Dispose();
    }

    /// <summary>Counts and hashes bytes on their way to the file.</summary>
    private sealed class HashStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Bytes { get; private set; }

        public string Hex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Bytes;

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
            Bytes += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
