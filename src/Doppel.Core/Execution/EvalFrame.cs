using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Execution;

/// <summary>Computes one value of a row from its frame (other columns, parent, references).</summary>
public delegate Value Evaluator(EvalFrame frame);

/// <summary>
/// The values of one row of one table while it is being generated. Columns are computed lazily in
/// dependency order; each column's random stream is a pure function of (seed, table, column, row).
/// </summary>
public sealed class EvalFrame
{
    private readonly Value[] _values;
    private readonly bool[] _done;
    private readonly EvalFrame?[] _refFrames;
    private readonly long[] _refIndex;

    internal EvalFrame(TablePlan table, Worker worker)
    {
        Table = table;
        Worker = worker;
        _values = new Value[table.Columns.Count];
        _done = new bool[table.Columns.Count];
        _refFrames = new EvalFrame?[table.Columns.Count];
        _refIndex = new long[table.Columns.Count];
    }

    public TablePlan Table { get; }

    /// <summary>A frame with no row, for folding constant expressions (plan-time <c>${...}</c>) that write text.</summary>
    internal static EvalFrame ForConstants() => new(new TablePlan("(constants)", 0), new Worker());

    internal Worker Worker { get; }

    public TextArena Arena => Worker.Arena;

    /// <summary>The parent row's frame for a child table; null for a root table.</summary>
    public EvalFrame? Parent { get; internal set; }

    /// <summary>0-based index of this row in its whole table.</summary>
    public long Row { get; private set; }

    /// <summary>0-based index of this row among its parent's children (equals <see cref="Row"/> for root tables).</summary>
    public long Ordinal { get; private set; }

    /// <summary>The random stream of the cell being computed.</summary>
    public Rng Rng;

    /// <summary>Whether injected faults are recorded (false for frames that recompute another table's row for a reference).</summary>
    internal bool RecordFaults { get; set; }

    internal void Reset(long row, long ordinal, EvalFrame? parent)
    {
        Row = row;
        Ordinal = ordinal;
        Parent = parent;
        Array.Clear(_done);
        for (var i = 0; i < _refFrames.Length; i++)
        {
            _refIndex[i] = -1;
            if (_refFrames[i] is { } rf)
            {
                // Text of a referenced row lives in the arena, which is rewound between rows.
                rf._initialised = false;
            }
        }
    }

    /// <summary>The value of column <paramref name="column"/>, computing it (and what it depends on) on first use.</summary>
    public Value Get(int column)
    {
        if (_done[column])
        {
            return _values[column];
        }

        var saved = Rng;
        var plan = Table.Columns[column];
        var v = plan.Compute(this);
        Rng = saved;
        _values[column] = v;
        _done[column] = true;
        return v;
    }

    /// <summary>Records which row of the referenced table a reference column picked.</summary>
    internal void SetRefIndex(int column, long row) => _refIndex[column] = row;

    /// <summary>The frame of the row that reference column <paramref name="column"/> points at, computed on demand.</summary>
    public EvalFrame RefFrame(int column)
    {
        var target = Table.Columns[column].RefTarget ?? throw new InvalidOperationException($"column {Table.Columns[column].Name} is not a reference");
        var frame = _refFrames[column] ??= new EvalFrame(target, Worker) { RecordFaults = false };
        if (frame.Row != _refIndex[column] || !frame._initialised)
        {
            frame.Reset(_refIndex[column], _refIndex[column], null);
            frame._initialised = true;
        }

        return frame;
    }

    /// <summary>Computes the reference column, then returns the frame of the row it picked.</summary>
    public EvalFrame RefRow(int column)
    {
        Get(column);
        return RefFrame(column);
    }

    private bool _initialised;

    internal void MarkInitialised() => _initialised = true;
}
