using Doppel.Planning;

namespace Doppel.Execution;

/// <summary>A labelled injected fault: which cell was made invalid, and how.</summary>
public sealed record Fault(string Table, long Row, string Column, string Kind, string Value);

/// <summary>
/// Per-thread generation state: the text arena, reusable frames and the faults recorded for the
/// current unit of work. Never shared between threads.
/// </summary>
public sealed class Worker
{
    private readonly Dictionary<TablePlan, Stack<EvalFrame>> _frames = [];

    public TextArena Arena { get; } = new();

    internal List<Fault>? Faults { get; set; }

    internal void RecordFault(string table, long row, string column, string kind, Value value) =>
        Faults?.Add(new Fault(table, row, column, kind, value.IsNull ? string.Empty : value.ToString()));

    /// <summary>A frame for a row of <paramref name="table"/>; return it with <see cref="Release"/>.</summary>
    public EvalFrame Rent(TablePlan table, long row, long ordinal, EvalFrame? parent, bool recordFaults)
    {
        Stack<EvalFrame>? stack;
        if (ReferenceEquals(table, _lastTable))
        {
            stack = _lastStack!;
        }
        else
        {
            if (!_frames.TryGetValue(table, out stack))
            {
                stack = new Stack<EvalFrame>();
                _frames[table] = stack;
            }

            (_lastTable, _lastStack) = (table, stack);
        }

        var f = stack.Count > 0 ? stack.Pop() : new EvalFrame(table, this);
        f.Reset(row, ordinal, parent);
        f.MarkInitialised();
        f.RecordFaults = recordFaults;
        return f;
    }

    public void Release(EvalFrame frame) => (ReferenceEquals(frame.Table, _lastTable) ? _lastStack! : _frames[frame.Table]).Push(frame);

    private TablePlan? _lastTable;
    private Stack<EvalFrame>? _lastStack;
}
