using System.IO.Compression;

namespace Doppel.Formats.Parquet.Internal;

/// <summary>
/// Compresses page bodies and writes page header + body to the output, tracking the file position itself so
/// non-seekable streams work.
/// </summary>
internal sealed class PageWriter : IDisposable
{
    private readonly Stream _output;
    private readonly CompressionLevel _level;
    private readonly ByteBuffer _header = new();
    private readonly ThriftCompactWriter _thrift;
    private readonly MemoryStream _gzipTarget = new();
    private readonly ByteBuffer _brotliTarget = new();

    public PageWriter(Stream output, ParquetCompression compression, CompressionLevel level)
    {
        _output = output;
        _level = level;
        _thrift = new ThriftCompactWriter(_header);
        Codec = compression switch
        {
            ParquetCompression.None => CompressionCodec.Uncompressed,
            ParquetCompression.Gzip => CompressionCodec.Gzip,
            _ => CompressionCodec.Brotli,
        };
    }

    public CompressionCodec Codec { get; }

    /// <summary>Bytes written so far, i.e. the file offset of the next byte.</summary>
    public long Position { get; private set; }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        Position += bytes.Length;
    }

    /// <summary>Writes a DATA_PAGE (v1); returns (compressed, uncompressed) sizes including the header.</summary>
    public (long Compressed, long Uncompressed) WriteDataPage(ReadOnlySpan<byte> body, int numValues, Encoding encoding)
    {
        var compressed = Compress(body);
        _header.Clear();
        _thrift.BeginStruct();
        WriteCommonHeader(PageType.DataPage, body.Length, compressed.Length);
        _thrift.FieldStructBegin(5); // data_page_header
        _thrift.FieldI32(1, numValues);
        _thrift.FieldI32(2, (int)encoding);
        _thrift.FieldI32(3, (int)Encoding.Rle); // definition_level_encoding
        _thrift.FieldI32(4, (int)Encoding.Rle); // repetition_level_encoding (no repetition levels are written)
        _thrift.EndStruct();
        _thrift.EndStruct();
        return Emit(compressed, body.Length);
    }

    /// <summary>Writes a DICTIONARY_PAGE (PLAIN); returns (compressed, uncompressed) sizes including the header.</summary>
    public (long Compressed, long Uncompressed) WriteDictionaryPage(ReadOnlySpan<byte> body, int numValues)
    {
        var compressed = Compress(body);
        _header.Clear();
        _thrift.BeginStruct();
        WriteCommonHeader(PageType.DictionaryPage, body.Length, compressed.Length);
        _thrift.FieldStructBegin(7); // dictionary_page_header
        _thrift.FieldI32(1, numValues);
        _thrift.FieldI32(2, (int)Encoding.Plain);
        _thrift.EndStruct();
        _thrift.EndStruct();
        return Emit(compressed, body.Length);
    }

    public void Flush() => _output.Flush();

    public void Dispose() => _gzipTarget.Dispose();

    private void WriteCommonHeader(PageType type, int uncompressedSize, int compressedSize)
    {
        _thrift.FieldI32(1, (int)type);
        _thrift.FieldI32(2, uncompressedSize);
        _thrift.FieldI32(3, compressedSize);
    }

    private (long Compressed, long Uncompressed) Emit(ReadOnlySpan<byte> compressed, int uncompressedLength)
    {
        var headerLength = _header.Length;
        WriteRaw(_header.WrittenSpan);
        WriteRaw(compressed);
        return (headerLength + compressed.Length, headerLength + uncompressedLength);
    }

    private ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> body)
    {
        switch (Codec)
        {
            case CompressionCodec.Uncompressed:
                return body;
            case CompressionCodec.Gzip:
                _gzipTarget.SetLength(0);
                using (var gzip = new GZipStream(_gzipTarget, _level, leaveOpen: true))
                {
                    gzip.Write(body);
                }

                return _gzipTarget.GetBuffer().AsSpan(0, (int)_gzipTarget.Length);
            default:
                var quality = _level switch
                {
                    CompressionLevel.NoCompression => 0,
                    CompressionLevel.Fastest => 1,
                    CompressionLevel.SmallestSize => 11,
                    _ => 4,
                };
                _brotliTarget.Clear();
                var target = _brotliTarget.GetSpan(BrotliEncoder.GetMaxCompressedLength(body.Length));
                if (!BrotliEncoder.TryCompress(body, target, out var written, quality, window: 22))
                {
                    throw new InvalidOperationException("Brotli compression of a Parquet page failed.");
                }

                return target[..written];
        }
    }
}
