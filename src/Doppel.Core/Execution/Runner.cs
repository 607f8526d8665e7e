using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Doppel.Data;
using Doppel.Formats;
using Doppel.Output;
using Doppel.Planning;

namespace Doppel.Execution;

/// <summary>Which slice of the root rows a run generates: shard <see cref="Index"/> (0-based) of <see cref="Count"/>.</summary>
public sealed record Shard(int Index, int Count)
{
    public static readonly Shard Whole = new(0, 1);

    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && i < n)
        {
            return new Shard(i, n);
        }

        throw new DoppelException($"--shard '{text}' is not i/N with 0 ≤ i < N (e.g. 0/4)", ExitCodes.UsageError);
    }

    /// <summary>Root rows [first, end) of a table with <paramref name="rows"/> rows that this shard owns.</summary>
    public (long First, long End) Range(long rows) => (rows * Index / Count, rows * (Index + 1) / Count);

    /// <summary>File-name suffix: empty for an unsharded run.</summary>
    public string Suffix => Count == 1 ? string.Empty : $".shard-{Index}-of-{Count}";

    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>How and where a run writes.</summary>
public sealed record RunOptions
{
    public string OutputDirectory { get; init; } = "out";

    public ITableFormat Format { get; init; } = new CsvFormat();

    public bool Gzip { get; init; }

    public bool Checksums { get; init; }

    /// <summary>Worker threads; output is identical for any value.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public Shard Shard { get; init; } = Shard.Whole;

    public int BatchSize { get; init; } = 4096;

    /// <summary>Use the column-at-a-time path for tables that support it (false only to compare against the row path in tests).</summary>
    internal bool Columnar { get; init; } = true;

    /// <summary>Write table files (false when only a row sink receives the data).</summary>
    public bool WriteFiles { get; init; } = true;

    public bool WriteManifest { get; init; } = true;

    /// <summary>Only these tables are written (null = all).</summary>
    public IReadOnlySet<string>? Tables { get; init; }

    /// <summary>
    /// At most this many rows of a table are written (files and sink): the first N in row order. Rows past
    /// the limit are still generated with their family, so every written value is what a full run writes.
    /// </summary>
    public IReadOnlyDictionary<string, long>? RowLimits { get; init; }

    public IRowSink? Sink { get; init; }

    public IRunProgress? Progress { get; init; }
}

/// <summary>Receives progress from the writer thread.</summary>
public interface IRunProgress
{
    void TableStarted(string table, long? totalRows);

    void Advanced(string table, long rows, long bytes);

    void TableFinished(string table);
}

public sealed record TableStats(string Table, long Rows, long Bytes, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>A written file: path relative to the output directory, rows, bytes and SHA-256.</summary>
public sealed record FileRecord(string Path, string Table, long Rows, long Bytes, string Sha256, string? ChecksumPath, string ContentType);

public sealed record RunResult(IReadOnlyList<FileRecord> Files, IReadOnlyList<TableStats> Tables, long Faults, string? FaultsPath, string? ManifestPath, TimeSpan Elapsed);

/// <summary>
/// Executes a plan: generates every family in parallel units, writes each table's rows in order to
/// temp files, and renames them into place only when the whole run succeeded.
/// </summary>
public static class Runner
{
    public static RunResult Run(GenerationPlan plan, RunOptions options, CancellationToken cancel = default)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var files = new AtomicFileSet(options.OutputDirectory);
        var records = new List<FileRecord>();
        var stats = new List<TableStats>();
        long faultCount = 0;
        var hasFaults = plan.Tables.Any(t => t.Columns.Any(c => c.FaultRate > 0));
        var faultsName = $"faults{options.Shard.Suffix}.jsonl";
        Stream? faultStream = hasFaults && options.WriteFiles ? files.Open(faultsName) : null;
        using var faultOut = faultStream is null ? null : new Utf8Output(faultStream, 1 << 16);
        try
        {
            options.Sink?.OpenAsync(plan.Tables.Where(t => Selected(options, t)).Select(t => t.OutputSchema).ToList(), cancel).AsTask().GetAwaiter().GetResult();
            foreach (var root in plan.Roots)
            {
                var (first, end) = options.Shard.Range(root.RootRows ?? 0);
                var family = new FamilyGenerator(root, first, end, options.BatchSize, options.Columnar);
                family.Count(options.Threads, cancel);
                // A row sink takes one table at a time (a database COPY); files take the whole family in one pass.
                var passes = options.Sink is null
                    ? [family.Tables.Select(t => Selected(options, t)).ToArray()]
                    : family.Tables.Select((t, i) => family.Tables.Select((_, j) => j == i && Selected(options, t)).ToArray()).Where(m => m.Any(x => x)).ToList();
                foreach (var emit in passes)
                {
                    var writers = family.Tables.Select((t, i) => emit[i] ? new TableWriter(t, options, files) : null).ToArray();
                    var emittedTables = family.Tables.Where((_, i) => emit[i]).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
                    for (var i = 0; i < writers.Length; i++)
                    {
                        if (writers[i] is not null)
                        {
                            options.Progress?.TableStarted(family.Tables[i].Name, Limit(options, family.Tables[i].Name) is { } cap ? Math.Min(cap, family.TotalRows[i]) : family.TotalRows[i]);
                        }
                    }

                    // Row-independent text formats are encoded by the generation threads; the writer thread then
                    // only appends, hashes and writes (a row limit may cut a batch, so those tables are encoded here).
                    var encoders = family.Tables.Select((t, i) => emit[i] && options.WriteFiles && Limit(options, t.Name) is null ? FormatOf(t, options) as IRowEncodingFormat : null).ToArray();
                    var buffers = new System.Collections.Concurrent.ConcurrentBag<Utf8Output>();
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    OrderedPipeline.Run(
                        family.UnitCount,
                        options.Threads,
                        (u, w) => Encode(family.Generate(u, w, emit), encoders, buffers),
                        encoded =>
                        {
                            var unit = encoded.Unit;
                            for (var i = 0; i < writers.Length; i++)
                            {
                                if (writers[i] is not { } writer)
                                {
                                    continue;
                                }

                                var limit = Limit(options, family.Tables[i].Name);
                                var batches = unit.Batches[i];
                                for (var b = 0; b < batches.Count; b++)
                                {
                                    var batch = batches[b];
                                    if (limit is { } max && writer.Rows + batch.Count > max)
                                    {
                                        // Pooled batch: shortening Count is undone by the next Reset.
                                        batch.Count = (int)Math.Max(0, max - writer.Rows);
                                        if (batch.Count == 0)
                                        {
                                            continue;
                                        }
                                    }

                                    var before = writer.Bytes;
                                    writer.Write(batch, encoded.Rows[i]?[b], records);
                                    options.Sink?.WriteAsync(batch, cancel).AsTask().GetAwaiter().GetResult();
                                    options.Progress?.Advanced(family.Tables[i].Name, batch.Count, writer.Bytes - before);
                                }
                            }

                            // A fault belongs to the pass that writes its table: parents recomputed for a
                            // child-table pass record their faults again, and those must not count twice.
                            foreach (var f in unit.Faults)
                            {
                                if (emittedTables.Contains(f.Table))
                                {
                                    if (faultOut is not null)
                                    {
                                        WriteFault(faultOut, f);
                                    }

                                    faultCount++;
                                }
                            }

                            encoded.Recycle(buffers);
                            family.Recycle(unit);
                        },
                        cancel);

                    for (var i = 0; i < writers.Length; i++)
                    {
                        if (writers[i] is { } writer)
                        {
                            writer.Complete(records);
                            stats.Add(new TableStats(family.Tables[i].Name, writer.Rows, writer.Bytes, sw.Elapsed));
                            options.Progress?.TableFinished(family.Tables[i].Name);
                        }
                    }
                }
            }

            string? faultsPath = null;
            if (faultOut is not null)
            {
                var hash = faultOut.Finish();
                records.Add(new FileRecord(faultsName, "(faults)", faultCount, faultOut.BytesWritten, hash, null, "application/x-ndjson"));
                faultsPath = faultsName;
            }

            string? manifest = null;
            if (options.WriteFiles && options.WriteManifest)
            {
                manifest = $"manifest{options.Shard.Suffix}.json";
                WriteManifest(files.Open(manifest), plan, options, records, stats, faultCount);
            }

            options.Sink?.CompleteAsync(cancel).AsTask().GetAwaiter().GetResult();
            files.CommitAll();
            return new RunResult(records, stats, faultCount, faultsPath, manifest, started.Elapsed);
        }
        catch
        {
            files.AbortAll();
            try
            {
                options.Sink?.AbortAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception abortError)
            {
                // The original failure is the one to report; the abort failure is secondary.
                System.Diagnostics.Trace.WriteLine(abortError.Message);
            }

            throw;
        }
    }

    private static bool Selected(RunOptions o, TablePlan t) => o.Tables is null || o.Tables.Contains(t.Name);

    /// <summary>A table's format: its own (recipe <c>format:</c>) or the run's.</summary>
    private static ITableFormat FormatOf(TablePlan table, RunOptions options) => table.Format is { } name ? TableFormats.BuiltIn[name] : options.Format;

    /// <summary>On a generation thread: encodes the unit's batches of tables with a row-encoding format.</summary>
    private static EncodedUnit Encode(UnitOutput unit, IRowEncodingFormat?[] encoders, System.Collections.Concurrent.ConcurrentBag<Utf8Output> buffers)
    {
        var rows = new List<Utf8Output>?[encoders.Length];
        for (var i = 0; i < encoders.Length; i++)
        {
            if (encoders[i] is not { } format || unit.Batches[i].Count == 0)
            {
                continue;
            }

            var list = rows[i] = new List<Utf8Output>(unit.Batches[i].Count);
            foreach (var batch in unit.Batches[i])
            {
                if (!buffers.TryTake(out var buffer))
                {
                    buffer = Utf8Output.InMemory(1 << 18);
                }

                format.EncodeRows(batch, buffer);
                list.Add(buffer);
            }
        }

        return new EncodedUnit(unit, rows);
    }

    /// <summary>A unit's batches and, per table, their rows already encoded (null where the writer encodes).</summary>
    private sealed record EncodedUnit(UnitOutput Unit, List<Utf8Output>?[] Rows)
    {
        public void Recycle(System.Collections.Concurrent.ConcurrentBag<Utf8Output> buffers)
        {
            foreach (var list in Rows)
            {
                foreach (var buffer in list ?? [])
                {
                    buffer.Clear();
                    buffers.Add(buffer);
                }
            }
        }
    }

    private static long? Limit(RunOptions o, string table) => o.RowLimits is { } l && l.TryGetValue(table, out var n) ? n : null;

    private static void WriteFault(Utf8Output o, Fault f)
    {
        var json = JsonSerializer.Serialize(new FaultJson(f.Table, f.Row, f.Column, f.Kind, f.Value), FaultJsonContext.Default.FaultJson);
        o.Write(Encoding.UTF8.GetBytes(json));
        o.WriteByte((byte)'\n');
    }

    private static void WriteManifest(Stream stream, GenerationPlan plan, RunOptions options, List<FileRecord> files, List<TableStats> stats, long faults)
    {
        using (stream)
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("doppel_version", DoppelInfo.Version);
            w.WriteString("recipe", plan.Recipe.Name ?? Path.GetFileName(plan.Recipe.File));
            w.WriteString("recipe_sha256", plan.RecipeSha256);
            w.WriteNumber("seed", plan.Seed);
            w.WriteStartObject("params");
            foreach (var (k, v) in plan.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
            w.WriteString("shard", options.Shard.ToString());
            w.WriteString("format", options.Format.Name + (options.Gzip ? "+gzip" : string.Empty));
            w.WriteStartArray("tables");
            foreach (var s in stats)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Table);
                w.WriteNumber("rows", s.Rows);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("faults", faults);
            w.WriteStartArray("files");
            foreach (var f in files)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteString("table", f.Table);
                w.WriteNumber("rows", f.Rows);
                w.WriteNumber("bytes", f.Bytes);
                w.WriteString("sha256", f.Sha256);
                if (f.ChecksumPath is not null)
                {
                    w.WriteString("checksum", f.ChecksumPath);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    /// <summary>Writes one table's file(s): one file, or one per parent row for <c>file_per_parent</c> tables.</summary>
    private sealed class TableWriter(TablePlan table, RunOptions options, AtomicFileSet files)
    {
        // A table may pin its own format (recipe 'format:'); otherwise the run's.
        private readonly ITableFormat _format = FormatOf(table, options);
        private ITableFormatWriter? _writer;
        private Stream? _stream;
        private string? _path;
        private string? _partition;
        private long _fileRows;
        private bool _opened;

        public long Rows { get; private set; }

        public long Bytes { get; private set; }

        /// <summary>Writes a batch, or its rows already encoded by the table's <see cref="IRowEncodingFormat"/> when given.</summary>
        public void Write(RowBatch batch, Utf8Output? encoded, List<FileRecord> records)
        {
            if (!options.WriteFiles)
            {
                Rows += batch.Count;
                return;
            }

            if (table.FilePerParent)
            {
                if (!string.Equals(batch.Partition, _partition, StringComparison.Ordinal) || !_opened)
                {
                    Close(records);
                    _partition = batch.Partition;
                    Open(WithExtension(batch.Partition ?? table.Name), FilePart.Whole);
                }
            }
            else if (!_opened)
            {
                OpenWhole();
            }

            if (encoded is not null && _writer is IEncodedRowsWriter raw)
            {
                raw.WriteEncoded(encoded.Written);
            }
            else
            {
                _writer!.Write(batch);
            }

            Rows += batch.Count;
            _fileRows += batch.Count;
        }

        private void OpenWhole()
        {
            var shard = options.Shard;
            var part = _format.Concatenates ? new FilePart(shard.Index == 0, shard.Index == shard.Count - 1) : FilePart.Whole;
            Open(WithExtension(table.FileTemplate, shard.Suffix), part);
        }

        private string WithExtension(string path, string suffix = "")
        {
            var ext = "." + _format.Extension;
            var p = path.EndsWith(ext, StringComparison.Ordinal) ? path[..^ext.Length] + suffix + ext : path + suffix + ext;
            return options.Gzip ? p + ".gz" : p;
        }

        private GZipStream? _gzip;

        private void Open(string path, FilePart part)
        {
            _path = path;
            _stream = files.Open(path);
            _gzip = options.Gzip ? new GZipStream(_stream, CompressionLevel.Optimal, leaveOpen: true) : null;
            _writer = _format.Open(_gzip ?? _stream, table.OutputSchema, part);
            _fileRows = 0;
            _opened = true;
        }

        private void Close(List<FileRecord> records)
        {
            if (_writer is null)
            {
                return;
            }

            var (_, sha) = _writer.Complete();
            _writer.Dispose();
            _writer = null;
            _gzip?.Dispose(); // writes the gzip trailer into the file
            _stream!.Flush();
            var fileBytes = _stream.Length;
            _stream.Dispose();
            // The format hashed what it wrote; for gzip the checksum must cover the compressed file as stored.
            var fileSha = _gzip is not null ? files.HashOf(_path!) : sha;
            Bytes += fileBytes;
            string? checksumPath = null;
            if (options.Checksums)
            {
                checksumPath = ChecksumPath(_path!);
                using var cs = files.Open(checksumPath);
                cs.Write(Encoding.UTF8.GetBytes($"{fileSha}  {Path.GetFileName(_path!)}\n"));
            }

            records.Add(new FileRecord(_path!, table.Name, _fileRows, fileBytes, fileSha, checksumPath, _gzip is not null ? "application/gzip" : _format.ContentType));
        }

        private string ChecksumPath(string dataPath)
        {
            if (table.ChecksumTemplate is null)
            {
                return dataPath + ".sha256";
            }

            return table.ChecksumTemplate.Replace("{file}", Path.GetFileName(dataPath), StringComparison.Ordinal).Replace("{path}", dataPath, StringComparison.Ordinal);
        }

        public void Complete(List<FileRecord> records)
        {
            if (!options.WriteFiles)
            {
                return;
            }

            if (!_opened && !table.FilePerParent)
            {
                OpenWhole();
            }

            Close(records);
        }
    }
}

internal sealed record FaultJson(string table, long row, string column, string kind, string value);

[System.Text.Json.Serialization.JsonSerializable(typeof(FaultJson))]
internal sealed partial class FaultJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
