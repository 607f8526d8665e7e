using System.Buffers;
using System.Text.Json;

namespace Doppel.Sinks.Http;

/// <summary>
/// Appends undeliverable events to a JSON Lines file, one event per line:
/// <c>{"key":"…","attempts":6,"error":"HTTP 503: …","event":{…}}</c>. The file is created on the
/// first failure only, and each line is flushed at once so a crash loses nothing already failed.
/// </summary>
internal sealed class DeadLetterWriter : IDisposable
{
    private readonly object _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private FileStream? _file;

    public DeadLetterWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public long Count { get; private set; }

    public void Write(string? key, int attempts, string error, ReadOnlySpan<byte> eventJson)
    {
        lock (_lock)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer, RowJson.WriterOptions))
            {
                writer.WriteStartObject();
                if (key is null)
                {
                    writer.WriteNull("key");
                }
                else
                {
                    writer.WriteString("key", key);
                }

                writer.WriteNumber("attempts", attempts);
                writer.WriteString("error", error);
                writer.WritePropertyName("event");
                writer.WriteRawValue(eventJson, skipInputValidation: true);
                writer.WriteEndObject();
            }

            _buffer.Write("\n"u8);
            WriteRawLine(_buffer.WrittenSpan);
        }
    }

    /// <summary>Appends a line as it is (a malformed line kept by a replay so it is never lost).</summary>
    public void WriteRawLine(ReadOnlySpan<byte> line)
    {
        lock (_lock)
        {
            if (_file is null)
            {
                var directory = System.IO.Path.GetDirectoryName(Path);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            }

            _file.Write(line);
            if (line.Length == 0 || line[^1] != (byte)'\n')
            {
                _file.WriteByte((byte)'\n');
            }

            _file.Flush();
            Count++;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
