using System.Security.Cryptography;
using System.Text;
using Doppel.Output;

namespace Doppel.Sinks.S3.Tests;

/// <summary>Local files to publish, in a temp folder removed on dispose.</summary>
public sealed class TempFiles : IDisposable
{
    public TempFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "doppel-s3-" + Guid.NewGuid().ToString("N"));

    /// <summary>A data file with deterministic pseudo-random bytes (a seeded xorshift, so failures reproduce).</summary>
    public PublishedFile Data(string key, long length, ulong seed = 1, string contentType = "text/csv")
    {
        var path = Path.Combine(Root, key.Replace('/', '_'));
        using (var stream = File.Create(path))
        {
            var buffer = new byte[1 << 16];
            var state = seed * 0x9E3779B97F4A7C15UL | 1;
            for (long written = 0; written < length; written += buffer.Length)
            {
                for (var i = 0; i < buffer.Length; i += 8)
                {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    BitConverter.TryWriteBytes(buffer.AsSpan(i), state);
                }
                stream.Write(buffer, 0, (int)Math.Min(buffer.Length, length - written));
            }
        }
        return new PublishedFile(path, key, contentType, Sha256Of(path));
    }

    /// <summary>A CSV data file from text.</summary>
    public PublishedFile Text(string key, string text)
    {
        var path = Path.Combine(Root, key.Replace('/', '_'));
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return new PublishedFile(path, key, "text/csv", Sha256Of(path));
    }

    /// <summary>The <c>sha256sum</c> sidecar of <paramref name="data"/>: "HEX␠␠NAME\n" (two spaces: text mode).</summary>
    public PublishedFile Sidecar(PublishedFile data, string key)
    {
        var path = Path.Combine(Root, key.Replace('/', '_'));
        File.WriteAllText(path, $"{data.Sha256Hex}  {Path.GetFileName(data.Key)}\n", new UTF8Encoding(false));
        return new PublishedFile(path, key, "text/plain", Sha256Of(path), ChecksumFor: data.Key);
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
