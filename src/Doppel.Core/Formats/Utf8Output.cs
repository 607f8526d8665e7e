using System.Buffers.Text;
using System.Security.Cryptography;

namespace Doppel.Formats;

/// <summary>
/// A buffered UTF-8 byte writer over a stream that also hashes (SHA-256) and counts every byte, so
/// checksums and manifest sizes cost no second pass over the file. <see cref="InMemory"/> makes one
/// that only collects bytes (no stream, no hash), for encoding rows away from the file's writer thread.
/// </summary>
public sealed class Utf8Output : IDisposable
{
    private readonly Stream? _stream;
    private readonly IncrementalHash? _hash;
    private byte[] _buffer;
    private int _used;

    public Utf8Output(Stream stream, int bufferSize = 1 << 20)
    {
        _stream = stream;
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _buffer = new byte[bufferSize];
    }

    private Utf8Output(int initialSize) => _buffer = new byte[initialSize];

    /// <summary>A writer that keeps everything in a growing buffer (<see cref="Written"/>); <see cref="Clear"/> reuses it.</summary>
    public static Utf8Output InMemory(int initialSize = 1 << 16) => new(initialSize);

    public long BytesWritten { get; private set; }

    /// <summary>The largest span <see cref="GetSpan"/> can return.</summary>
    public int Capacity => _stream is null ? int.MaxValue / 2 : _buffer.Length;

    /// <summary>For an in-memory writer: the bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _stream is null ? _buffer.AsSpan(0, _used) : throw new InvalidOperationException("only an in-memory writer keeps its bytes");

    /// <summary>For an in-memory writer: forgets the bytes, keeping the buffer.</summary>
    public void Clear() => _used = 0;

    /// <summary>Space for at least <paramref name="size"/> bytes; follow with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_used + size > _buffer.Length)
        {
            MakeRoom(size);
        }

        return _buffer.AsSpan(_used);
    }

    public void Advance(int count) => _used += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            if (_stream is not null && bytes.Length >= _buffer.Length / 4)
            {
                // Large blocks (rows encoded elsewhere) go straight to the stream instead of through the buffer.
                Flush();
                _hash!.AppendData(bytes);
                _stream.Write(bytes);
                BytesWritten += bytes.Length;
                return;
            }

            MakeRoom(bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    public void WriteByte(byte b)
    {
        if (_used == _buffer.Length)
        {
            MakeRoom(1);
        }

        _buffer[_used++] = b;
    }

    public void WriteInt(long v)
    {
        var span = GetSpan(24);
        Utf8Formatter.TryFormat(v, span, out var n);
        _used += n;
    }

    private void MakeRoom(int size)
    {
        if (_stream is null)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + size));
            return;
        }

        Flush();
        if (size > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"a single value of {size} bytes exceeds the output buffer");
        }
    }

    public void Flush()
    {
        if (_used > 0 && _stream is not null)
        {
            _hash!.AppendData(_buffer, 0, _used);
            _stream.Write(_buffer, 0, _used);
            BytesWritten += _used;
            _used = 0;
        }
    }

    /// <summary>Flushes and returns the lower-case hex SHA-256 of everything written.</summary>
    public string Finish()
    {
        if (_stream is null)
        {
            throw new InvalidOperationException("an in-memory writer has no file to finish");
        }

        Flush();
        _stream.Flush();
        return Convert.ToHexStringLower(_hash!.GetHashAndReset());
    }

    public void Dispose() => _hash?.Dispose();
}
