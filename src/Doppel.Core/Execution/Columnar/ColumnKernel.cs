using Doppel.Data;

namespace Doppel.Execution.Columnar;

/// <summary>
/// The column-at-a-time form of a generator: fills a run of rows straight into a column buffer, with no
/// per-cell frame, <see cref="Value"/> or UTF-16 text in between. A kernel must store exactly what its
/// generator's <see cref="Generators.Generator.Generate"/> would (same random draws, same bytes); the
/// tests generate every kernel-backed recipe both ways and compare the files.
/// </summary>
public abstract class ColumnKernel
{
    /// <summary>Columns of the same row this kernel reads (indexes into the table's columns); they are filled first.</summary>
    public virtual IReadOnlyList<int> Inputs => [];

    /// <summary>Fills slots [0, <see cref="ColumnRun.Count"/>) of <paramref name="dest"/> for rows <see cref="ColumnRun.FirstRow"/> onwards.</summary>
    public abstract void Fill(ColumnRun run, ColumnBuffer dest);
}

/// <summary>A run of consecutive rows being filled column by column.</summary>
public sealed class ColumnRun
{
    private readonly ColumnBuffer[] _columns;

    internal ColumnRun(ColumnBuffer[] columns) => _columns = columns;

    /// <summary>Table row index of slot 0.</summary>
    public long FirstRow { get; internal set; }

    public int Count { get; internal set; }

    /// <summary>The buffer of an input column (one of <see cref="ColumnKernel.Inputs"/>), already filled for this run.</summary>
    public ColumnBuffer Input(int column) => _columns[column];
}
