using System.Globalization;
using System.Text;
using Doppel.Validation;

namespace Doppel.Packs.Clinical;

/// <summary>The outcome of a registry update: rows before and after, and whether the file was rewritten.</summary>
public sealed record RegistryUpdate(string Path, long Before, long After, bool Written);

/// <summary>
/// The registry file (<c>state/patients_master.csv</c>): a CSV cache of rows [0, n) of a
/// <see cref="PatientRegistry"/>. It is checked, not trusted: every row must equal what the seed gives
/// for its index, or the run stops with the file, line and field that differ. It only grows (running an
/// earlier date later keeps it), and it is replaced atomically (temp file + rename), never edited in place.
/// </summary>
public static class RegistryFile
{
    /// <summary>The header line.</summary>
    public static string Header => string.Join(',', PatientRegistry.Columns);

    /// <summary>Checks an existing registry file row by row; returns its row count (0 when it does not exist).</summary>
    /// <exception cref="DoppelException">The file is unreadable or differs from the registry function (exit code 3).</exception>
    public static long Verify(string path, PatientRegistry registry)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            long index = 0;
            var first = true;
            foreach (var (line, fields, _) in SimpleCsv.Read(reader))
            {
                if (first)
                {
                    first = false;
                    if (!fields.SequenceEqual(PatientRegistry.Columns))
                    {
                        throw Corrupt(path, line, $"the header is '{string.Join(',', fields)}', expected '{Header}'");
                    }

                    continue;
                }

                var expected = registry.Row(index);
                if (fields.Length != expected.Length)
                {
                    throw Corrupt(path, line, $"{fields.Length} fields, expected {expected.Length}");
                }

                var differing = 0;
                var firstDiff = -1;
                for (var c = 0; c < expected.Length; c++)
                {
                    if (!string.Equals(fields[c], expected[c], StringComparison.Ordinal))
                    {
                        differing++;
                        firstDiff = firstDiff < 0 ? c : firstDiff;
                    }
                }

                if (differing > 0)
                {
                    var what = index == 0 && differing >= 3
                        ? "was built with another seed (its first patient differs); use another --set registry=PATH for this seed"
                        : $"{PatientRegistry.Columns[firstDiff]} is '{fields[firstDiff]}', expected '{expected[firstDiff]}' for patient {index + 1} (edited or damaged)";
                    throw Corrupt(path, line, what);
                }

                index++;
            }

            if (first)
            {
                throw Corrupt(path, 1, "the file is empty (no header)");
            }

            return index;
        }
        catch (IOException e)
        {
            throw new DoppelException($"Cannot read the patient registry '{path}': {e.Message}", ExitCodes.RuntimeError, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DoppelException($"Cannot read the patient registry '{path}': {e.Message}", ExitCodes.RuntimeError, e);
        }
    }

    /// <summary>
    /// Makes the file hold at least <paramref name="rows"/> rows. <paramref name="verifiedRows"/> is what
    /// <see cref="Verify"/> returned for the current file. A file already long enough is left untouched.
    /// </summary>
    public static RegistryUpdate Update(string path, PatientRegistry registry, long rows, long verifiedRows)
    {
        var target = Math.Max(rows, verifiedRows);
        if (target == verifiedRows && File.Exists(path))
        {
            return new RegistryUpdate(path, verifiedRows, verifiedRows, false);
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp");
        try
        {
            Directory.CreateDirectory(dir);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                // The verified rows are the canonical text already: copy them, then append the new patients.
                if (verifiedRows > 0)
                {
                    using var existing = File.OpenRead(path);
                    existing.CopyTo(stream);
                }
                else
                {
                    stream.Write(Encoding.UTF8.GetBytes(Header + "\n"));
                }

                var sb = new StringBuilder(1 << 16);
                for (var i = verifiedRows; i < target; i++)
                {
                    registry.AppendCsv(i, sb);
                    if (sb.Length > 60_000)
                    {
                        stream.Write(Encoding.UTF8.GetBytes(sb.ToString()));
                        sb.Clear();
                    }
                }

                stream.Write(Encoding.UTF8.GetBytes(sb.ToString()));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            return new RegistryUpdate(path, verifiedRows, target, true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new DoppelException($"Cannot write the patient registry '{path}': {e.Message}; the previous registry is unchanged", ExitCodes.RuntimeError, e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static DoppelException Corrupt(string path, long line, string what) =>
        new($"The patient registry {path}:{line.ToString(CultureInfo.InvariantCulture)} {what}. The registry is a cache of a pure function of the seed: restore it, or delete it and it will be rebuilt", ExitCodes.RuntimeError);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a temp name never shadows the registry.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
