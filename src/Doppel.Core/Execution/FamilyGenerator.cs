using Doppel.Data;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Execution;

/// <summary>The rows one unit of work produced: batches per table of the family, and injected faults.</summary>
public sealed class UnitOutput
{
    internal UnitOutput(int tables) => Batches = Enumerable.Range(0, tables).Select(_ => new List<RowBatch>()).ToArray();

    public long Unit { get; internal set; }

    /// <summary>Per family table (in <see cref="FamilyGenerator.Tables"/> order), the batches in row order.</summary>
    public List<RowBatch>[] Batches { get; }

    public List<Fault> Faults { get; } = [];
}

/// <summary>
/// Generates a root table and all its descendants in one pass over ranges of root rows ("units").
/// Child rows are generated per parent row, so a child never needs its parent table materialised;
/// child row indices come from a counting pass, so they are the same for any unit or shard split.
/// </summary>
public sealed class FamilyGenerator
{
    private readonly TablePlan[] _tables;
    private readonly Dictionary<TablePlan, int> _index;
    private readonly ulong[] _countSeeds;
    private readonly long _first;
    private readonly long _end;
    private readonly long _unitRows;
    private readonly int _batchSize;
    private readonly System.Collections.Concurrent.ConcurrentBag<RowBatch>[] _pool;
    private readonly Columnar.ColumnarTable? _columnar;
    private long[][] _unitOffsets = [];

    /// <summary>A generator for root rows [first, end) of <paramref name="root"/> and their descendants, in batches of <paramref name="batchSize"/> rows.</summary>
    /// <remarks><paramref name="columnar"/> false forces the row path even where a table has a columnar form (tests compare both).</remarks>
    public FamilyGenerator(TablePlan root, long first, long end, int batchSize, bool columnar = true)
    {
        if (root.Parent is not null)
        {
            throw new ArgumentException("a family starts at a root table", nameof(root));
        }

        var list = new List<TablePlan>();
        void Add(TablePlan t)
        {
            list.Add(t);
            foreach (var c in t.Children)
            {
                Add(c);
            }
        }

        Add(root);
        _tables = list.ToArray();
        _index = _tables.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        _countSeeds = _tables.Select(t => SeedTree.Combine(t.Seed, "per_parent")).ToArray();
        _first = first;
        _end = end;
        _batchSize = batchSize;
        HasChildren = _tables.Length > 1;
        _columnar = columnar ? root.Columnar : null;
        _unitRows = HasChildren ? Math.Max(1, Math.Min(batchSize / 16, batchSize / Math.Max(1, EstimateFanOut()))) : batchSize;
        _pool = _tables.Select(_ => new System.Collections.Concurrent.ConcurrentBag<RowBatch>()).ToArray();
        TotalRows = new long[_tables.Length];
        TotalRows[0] = end - first;
    }

    public IReadOnlyList<TablePlan> Tables => _tables;

    private bool[] AllTables => _all ??= Enumerable.Repeat(true, _tables.Length).ToArray();

    private bool[]? _all;

    /// <summary>
    /// Mean direct children per root row over the first few rows of the range. Units then hold about one
    /// batch of child rows, so a large fan-out (thousands of rows per parent, one file per parent) does
    /// not buffer hundreds of parents' rows per unit. Only memory and parallelism depend on it, never output.
    /// </summary>
    private long EstimateFanOut()
    {
        var sample = Math.Min(16, _end - _first);
        if (sample <= 0)
        {
            return 1;
        }

        var worker = new Worker();
        long total = 0;
        for (var r = _first; r < _first + sample; r++)
        {
            var frame = worker.Rent(_tables[0], r, r, null, false);
            foreach (var child in _tables[0].Children)
            {
                total += Math.Max(0, child.PerParent?.Count(frame, _countSeeds[_index[child]]) ?? 0);
            }

            worker.Release(frame);
        }

        return Math.Max(1, total / sample);
    }

    public bool HasChildren { get; }

    public long UnitCount => (_end - _first + _unitRows - 1) / _unitRows;

    /// <summary>Rows per family table in this run's range (known after <see cref="Count"/>).</summary>
    public long[] TotalRows { get; }

    private long[] _firstRow = [];

    /// <summary>Global row index of each family table's first row in this run (known after <see cref="Count"/>).</summary>
    public IReadOnlyList<long> FirstRowIndex => _firstRow;

    /// <summary>
    /// Counting pass: how many rows each child table has before this run's range and in each unit.
    /// Depth by depth, so a count that reads a parent's columns sees the parent's true row index.
    /// </summary>
    public void Count(int threads, CancellationToken cancel)
    {
        var n = _tables.Length;
        _firstRow = new long[n];
        _firstRow[0] = _first;
        _unitOffsets = new long[UnitCount + 1][];
        for (var u = 0; u <= UnitCount; u++)
        {
            _unitOffsets[u] = new long[n];
        }

        if (!HasChildren)
        {
            return;
        }

        var maxDepth = _tables.Max(t => t.Depth);
        // Counts of rows per table per unit; "before" covers root rows [0, first).
        var perUnit = new long[UnitCount][];
        var before = new long[n];
        var beforeUnits = (_first + _unitRows - 1) / _unitRows;
        var beforeChunks = new long[beforeUnits][];
        for (var depth = 1; depth <= maxDepth; depth++)
        {
            var d = depth;
            var beforeOffsets = new long[n];
            ParallelFor(beforeUnits, threads, (u, w) =>
            {
                var a = u * _unitRows;
                var b = Math.Min(_first, a + _unitRows);
                beforeChunks[u] = CountRange(w, a, b, d, null, u);
            }, cancel);
            for (var i = 0; i < n; i++)
            {
                if (_tables[i].Depth == depth)
                {
                    before[i] = 0;
                    for (var u = 0; u < beforeUnits; u++)
                    {
                        before[i] += beforeChunks[u][i];
                    }

                    _firstRow[i] = before[i];
                }
            }

            ParallelFor(UnitCount, threads, (u, w) =>
            {
                var a = _first + (u * _unitRows);
                var b = Math.Min(_end, a + _unitRows);
                perUnit[u] = CountRange(w, a, b, d, _unitOffsets, u);
            }, cancel);
            for (var i = 0; i < n; i++)
            {
                if (_tables[i].Depth != depth)
                {
                    continue;
                }

                var acc = _firstRow[i];
                for (var u = 0; u < UnitCount; u++)
                {
                    _unitOffsets[u][i] = acc;
                    acc += perUnit[u][i];
                }

                _unitOffsets[UnitCount][i] = acc;
                TotalRows[i] = acc - _firstRow[i];
            }

            // Before-range chunk offsets are needed by deeper levels too.
            _beforeOffsets ??= new long[beforeUnits + 1][];
            for (var u = 0; u <= beforeUnits; u++)
            {
                _beforeOffsets[u] ??= new long[n];
            }

            for (var i = 0; i < n; i++)
            {
                if (_tables[i].Depth != depth)
                {
                    continue;
                }

                long acc = 0;
                for (var u = 0; u < beforeUnits; u++)
                {
                    _beforeOffsets[u][i] = acc;
                    acc += beforeChunks[u][i];
                }

                _beforeOffsets[beforeUnits][i] = acc;
            }
        }

        for (var u = 0; u < UnitCount; u++)
        {
            _unitOffsets[u][0] = _first + (u * _unitRows);
        }
    }

    private long[][]? _beforeOffsets;

    private static void ParallelFor(long count, int threads, Action<long, Worker> body, CancellationToken cancel)
    {
        if (count == 0)
        {
            return;
        }

        long next = -1;
        Exception? error = null;
        var ts = Enumerable.Range(0, (int)Math.Min(threads, count)).Select(_ => new Thread(() =>
        {
            var w = new Worker();
            try
            {
                long u;
                while ((u = Interlocked.Increment(ref next)) < count && error is null)
                {
                    cancel.ThrowIfCancellationRequested();
                    body(u, w);
                }
            }
            catch (Exception e)
            {
                error ??= e;
            }
        })).ToList();
        ts.ForEach(t => t.Start());
        ts.ForEach(t => t.Join());
        if (error is not null)
        {
            throw error is DoppelException or OperationCanceledException ? error : new InvalidOperationException("counting failed: " + error.Message, error);
        }
    }

    /// <summary>Counts rows of tables at <paramref name="depth"/> under root rows [a, b).</summary>
    private long[] CountRange(Worker w, long a, long b, int depth, long[][]? offsets, long unit)
    {
        var counts = new long[_tables.Length];
        var next = new long[_tables.Length];
        var isBefore = offsets is null;
        for (var i = 0; i < _tables.Length; i++)
        {
            if (_tables[i].Depth < depth && _tables[i].Depth > 0)
            {
                next[i] = isBefore ? _beforeOffsets![unit][i] : offsets![unit][i];
            }
        }

        for (var r = a; r < b; r++)
        {
            var mark = w.Arena.Mark;
            var frame = w.Rent(_tables[0], r, r, null, false);
            CountChildren(w, _tables[0], frame, depth, counts, next);
            w.Release(frame);
            w.Arena.Rewind(mark);
        }

        return counts;
    }

    private void CountChildren(Worker w, TablePlan parent, EvalFrame parentFrame, int depth, long[] counts, long[] next)
    {
        foreach (var child in parent.Children)
        {
            var ci = _index[child];
            var k = child.PerParent!.Count(parentFrame, _countSeeds[ci]);
            if (child.Depth == depth)
            {
                counts[ci] += k;
                continue;
            }

            for (long j = 0; j < k; j++)
            {
                var mark = w.Arena.Mark;
                var f = w.Rent(child, next[ci]++, j, parentFrame, false);
                CountChildren(w, child, f, depth, counts, next);
                w.Release(f);
                w.Arena.Rewind(mark);
            }
        }
    }

    /// <summary>Generates one unit: its root rows and all their descendants.</summary>
    public UnitOutput Generate(long unit, Worker w)
    {
        return Generate(unit, w, null);
    }

    /// <summary>Generates one unit, emitting rows only for tables whose flag in <paramref name="emit"/> is set (all when null).</summary>
    public UnitOutput Generate(long unit, Worker w, bool[]? emit)
    {
        emit ??= AllTables;
        var output = new UnitOutput(_tables.Length) { Unit = unit };
        w.Faults = output.Faults;
        var next = (long[])_unitOffsets[unit].Clone();
        var a = _first + (unit * _unitRows);
        var b = Math.Min(_end, a + _unitRows);
        if (_columnar is not null)
        {
            // A flat table: one batch per unit (units are batch-sized when there are no children).
            if (emit[0] && b > a)
            {
                _columnar.Fill(NewBatch(output, 0, a, null), (int)(b - a), w);
            }

            w.Faults = null;
            return output;
        }

        for (var r = a; r < b; r++)
        {
            var mark = w.Arena.Mark;
            var frame = w.Rent(_tables[0], r, r, null, true);
            Emit(output, 0, frame, null, emit);
            GenerateChildren(w, output, _tables[0], frame, next, emit);
            w.Release(frame);
            w.Arena.Rewind(mark);
        }

        w.Faults = null;
        return output;
    }

    private void GenerateChildren(Worker w, UnitOutput output, TablePlan parent, EvalFrame parentFrame, long[] next, bool[] emit)
    {
        if (parent.Children.Count > 0)
        {
            // Compute every parent column now: a column first computed inside a child row would put its text
            // in arena space that is rewound after that child (a parent that is not emitted, or a hidden column).
            for (var c = 0; c < parent.Columns.Count; c++)
            {
                parentFrame.Get(c);
            }
        }

        foreach (var child in parent.Children)
        {
            var ci = _index[child];
            var k = child.PerParent!.Count(parentFrame, _countSeeds[ci]);
            var partition = child.FilePerParent ? FileTemplates.Expand(child, parentFrame) : null;
            if (partition is not null && emit[ci])
            {
                // Start a fresh batch so each file's rows are in batches of their own, even when empty.
                NewBatch(output, ci, next[ci], partition);
            }

            for (long j = 0; j < k; j++)
            {
                var mark = w.Arena.Mark;
                var f = w.Rent(child, next[ci]++, j, parentFrame, true);
                Emit(output, ci, f, partition, emit);
                GenerateChildren(w, output, child, f, next, emit);
                w.Release(f);
                w.Arena.Rewind(mark);
            }
        }
    }

    private RowBatch NewBatch(UnitOutput output, int ti, long firstRow, string? partition)
    {
        if (!_pool[ti].TryTake(out var batch))
        {
            batch = new RowBatch(_tables[ti].OutputSchema, _batchSize);
        }

        batch.Reset(firstRow);
        batch.Partition = partition;
        output.Batches[ti].Add(batch);
        return batch;
    }

    private void Emit(UnitOutput output, int ti, EvalFrame frame, string? partition, bool[] emit)
    {
        if (!emit[ti])
        {
            return;
        }

        var list = output.Batches[ti];
        var batch = list.Count > 0 ? list[^1] : null;
        if (batch is null || batch.Count == batch.Capacity || !string.Equals(batch.Partition, partition, StringComparison.Ordinal))
        {
            batch = NewBatch(output, ti, frame.Row, partition);
        }

        var table = _tables[ti];
        var slot = batch.Count;
        var outCols = table.OutputColumns;
        for (var c = 0; c < outCols.Length; c++)
        {
            Store.Put(batch.Columns[c], slot, frame.Get(outCols[c]));
        }

        batch.Count++;
    }

    /// <summary>Returns a unit's batches to the pool once they are written.</summary>
    public void Recycle(UnitOutput output)
    {
        for (var i = 0; i < output.Batches.Length; i++)
        {
            foreach (var b in output.Batches[i])
            {
                _pool[i].Add(b);
            }

            output.Batches[i].Clear();
        }
    }
}

/// <summary>Expands <c>{parent.col}</c>, <c>{col}</c> and <c>{ordinal}</c> placeholders in per-parent file names.</summary>
internal static class FileTemplates
{
    public static string Expand(TablePlan child, EvalFrame parentFrame)
    {
        var t = child.FileTemplate;
        var sb = new System.Text.StringBuilder();
        var i = 0;
        while (i < t.Length)
        {
            var open = t.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(t, i, t.Length - i);
                break;
            }

            var close = t.IndexOf('}', open);
            sb.Append(t, i, open - i);
            var name = t[(open + 1)..close];
            if (name.StartsWith("parent.", StringComparison.Ordinal))
            {
                name = name[7..];
            }

            var idx = parentFrame.Table.IndexOf(name);
            sb.Append(idx >= 0 ? parentFrame.Get(idx).ToString() : name == "row" ? parentFrame.Row.ToString(System.Globalization.CultureInfo.InvariantCulture) : "{" + name + "}");
            i = close + 1;
        }

        return sb.ToString();
    }
}
