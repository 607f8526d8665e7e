using System.Security.Cryptography;

namespace Doppel.Execution;

/// <summary>
/// Files of one run, written under temporary names beside their final paths and renamed into place
/// only by <see cref="CommitAll"/>; <see cref="AbortAll"/> deletes them. A failed or interrupted run
/// therefore leaves no partial file under a final name, and a rerun replaces files whole.
/// </summary>
public sealed class AtomicFileSet(string root)
{
    private readonly List<Entry> _files = [];
    private readonly Dictionary<string, Entry> _byFinal = new(StringComparer.Ordinal);
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

        if (_byFinal.ContainsKey(final))
        {
            throw new DoppelException($"Two outputs would write the same file '{relativePath}'; give the tables different 'file' names", ExitCodes.UsageError);
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            var entry = new Entry(final + _tag, final);
            var stream = new TrackedStream(entry);
            entry.Stream = stream;
            _files.Add(entry);
            _byFinal[final] = entry;
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
        var entry = _byFinal[final];
        using var s = File.OpenRead(entry.Temp);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    public void CommitAll()
    {
        foreach (var entry in _files)
        {
            entry.Stream?.Dispose();
            File.Move(entry.Temp, entry.Final, overwrite: true);
        }

        _files.Clear();
        _byFinal.Clear();
    }

    public void AbortAll()
    {
        foreach (var entry in _files)
        {
            try
            {
                entry.Stream?.Dispose();
                File.Delete(entry.Temp);
            }
            catch (IOException)
            {
                // Best effort: a temp name never shadows a real output.
            }
        }

        _files.Clear();
        _byFinal.Clear();
    }

    /// <summary>One file of the set; the stream is dropped once closed, so a run with thousands of files does not keep their buffers.</summary>
    private sealed class Entry(string temp, string final)
    {
        public string Temp => temp;

        public string Final => final;

        public FileStream? Stream { get; set; }
    }

    private sealed class TrackedStream(Entry entry) : FileStream(entry.Temp, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16)
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            entry.Stream = null;
        }
    }
}
