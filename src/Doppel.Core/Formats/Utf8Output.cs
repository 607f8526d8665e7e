using System.Buffers.Text;
using System.Security.Cryptography;

namespace Doppel.Formats;

/// <summary>
/// A buffered UTF-8 byte writer over a stream that also hashes (SHA-256) and counts every byte, so
/// checksums and manifest sizes cost no second pass over the file.
/// </summary>
public sealed class Utf8Output : IDisposable
{
    private readonly Stream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer;
    private int _used;

    public Utf8Output(Stream stream, int bufferSize = 1 << 20)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    public long BytesWritten { get; private set; }

    /// <summary>The largest span <see cref="GetSpan"/> can return.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Space for at least <paramref name="size"/> bytes; follow with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_used + size > _buffer.Length)
        {
            Flush();
            if (size > _buffer.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(size), $"a single value of {size} bytes exceeds the output buffer");
            }
        }

        return _buffer.AsSpan(_used);
    }

    public void Advance(int count) => _used += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                _hash.AppendData(bytes);
                _stream.Write(bytes);
                BytesWritten += bytes.Length;
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    public void WriteByte(byte b)
    {
        if (_used == _buffer.Length)
        {
            Flush();
        }

        _buffer[_used++] = b;
    }

    public void WriteInt(long v)
    {
        var span = GetSpan(24);
        Utf8Formatter.TryFormat(v, span, out var n);
        _used += n;
    }

    public void Flush()
    {
        if (_used > 0)
        {
            _hash.AppendData(_buffer, 0, _used);
            _stream.Write(_buffer, 0, _used);
            BytesWritten += _used;
            _used = 0;
        }
    }

    /// <summary>Flushes and returns the lower-case hex SHA-256 of everything written.</summary>
    public string Finish()
    {
        Flush();
        _stream.Flush();
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public void Dispose() => _hash.Dispose();
}
