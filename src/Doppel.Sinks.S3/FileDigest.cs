using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Doppel.Output;

namespace Doppel.Sinks.S3;

/// <summary>
/// One sequential pass over a file: its SHA-256 (checked against <see cref="PublishedFile.Sha256Hex"/>)
/// and the base64 MD5 of every part, sent as Content-MD5 so S3 rejects bytes damaged in transit.
/// </summary>
internal sealed record FileDigest(long Length, string Sha256Hex, IReadOnlyList<string> PartMd5Base64)
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>Hashes <paramref name="file"/>; <paramref name="partSize"/> = <see cref="long.MaxValue"/> gives one whole-file MD5.</summary>
    /// <exception cref="DoppelException">The file is unreadable, or its bytes no longer match its recorded SHA-256.</exception>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "Content-MD5 is the S3 wire protocol's integrity check, not a security control.")]
    public static async Task<FileDigest> ComputeAsync(PublishedFile file, long partSize, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var handle = File.OpenHandle(file.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var length = RandomAccess.GetLength(handle);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var parts = new List<string>();
            long offset = 0, inPart = 0;
            while (offset < length)
            {
                var want = (int)Math.Min(BufferSize, Math.Min(partSize - inPart, length - offset));
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, want), offset, ct).ConfigureAwait(false);
                if (read == 0)
                    throw new DoppelException($"Local file '{file.LocalPath}' for key '{file.Key}' shrank while being read; do not modify output files during publishing", ExitCodes.RuntimeError);
                sha.AppendData(buffer, 0, read);
                md5.AppendData(buffer, 0, read);
                offset += read;
                inPart += read;
                if (inPart == partSize)
                {
                    parts.Add(Convert.ToBase64String(md5.GetHashAndReset()));
                    inPart = 0;
                }
            }
            if (inPart > 0 || parts.Count == 0)
                parts.Add(Convert.ToBase64String(md5.GetHashAndReset()));

            var shaHex = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (!string.Equals(shaHex, file.Sha256Hex, StringComparison.OrdinalIgnoreCase))
                throw new DoppelException($"Local file '{file.LocalPath}' for key '{file.Key}' has SHA-256 {shaHex}, not the recorded {file.Sha256Hex}; it changed after generation, regenerate it", ExitCodes.RuntimeError);
            return new FileDigest(length, shaHex, parts);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw S3FilePublisher.LocalFileError(file, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
