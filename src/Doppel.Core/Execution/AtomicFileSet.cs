using System.Security.Cryptography;

namespace Doppel.Execution;

/// <summary>
/// Files of one run, written under temporary names beside their final paths and renamed into place
/// only by <see cref="CommitAll"/>; <see cref="AbortAll"/> deletes them. A failed or interrupted run
/// therefore leaves no partial file under a final name, and a rerun replaces files whole.
/// </summary>
public sealed class AtomicFileSet(string root)
{
    private readonly List<(string Temp, string Final, FileStream Stream)> _files = [];
    private readonly string _tag = "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".doppel-tmp";

    public string Root => root;

    /// <summary>Creates (or replaces) <paramref name="relativePath"/> under a temporary name.</summary>
    public FileStream Open(string relativePath)
    {
        var final = Path.GetFullPath(Path.Combine(root, relativePath));
        var rootFull = Path.GetFullPath(root);
        if (!final.StartsWith(rootFull, StringComparison.Ordinal))
        {
            throw new DoppelException($"Output path '{relativePath}' escapes the output directory '{root}'", ExitCodes.UsageError);
        }

        if (_files.Any(f => string.Equals(f.Final, final, StringComparison.Ordinal)))
        {
            throw new DoppelException($"Two outputs would write the same file '{relativePath}'; give the tables different 'file' names", ExitCodes.UsageError);
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            var temp = final + _tag;
            var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
            _files.Add((temp, final, stream));
            return stream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DoppelException($"Cannot write '{final}': {e.Message}; check that the output directory is writable", ExitCodes.RuntimeError, e);
        }
    }

    /// <summary>SHA-256 (hex) of a file written in this set, read back from its temporary file.</summary>
    public string HashOf(string relativePath)
    {
        var final = Path.GetFullPath(Path.Combine(root, relativePath));
        var entry = _files.First(f => string.Equals(f.Final, final, StringComparison.Ordinal));
        using var s = File.OpenRead(entry.Temp);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    public void CommitAll()
    {
        foreach (var (temp, final, stream) in _files)
        {
            stream.Dispose();
            File.Move(temp, final, overwrite: true);
        }

        _files.Clear();
    }

    public void AbortAll()
    {
        foreach (var (temp, _, stream) in _files)
        {
            try
            {
                stream.Dispose();
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: a temp name never shadows a real output.
            }
        }

        _files.Clear();
    }
}
