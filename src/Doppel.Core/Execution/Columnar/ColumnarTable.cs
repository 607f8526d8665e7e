using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Doppel.Data;
using Doppel.Planning;

namespace Doppel.Execution.Columnar;

/// <summary>
/// Generates a root table without children column by column: columns with a <see cref="ColumnKernel"/> are filled
/// straight into the batch, the others row by row through an <see cref="EvalFrame"/> (the row path, which stays the
/// reference for what a value is). Tables with children, or with fault injection, take the row path whole.
/// </summary>
internal sealed class ColumnarTable
{
    private readonly TablePlan _table;
    private readonly int[] _order;
    private readonly ColumnKernel[] _kernels;
    private readonly int[] _rowColumns;
    private readonly int[] _outputSlot;
    private readonly ConcurrentBag<ColumnBuffer[]> _scratch = [];

    private ColumnarTable(TablePlan table, int[] order, ColumnKernel[] kernels, int[] rowColumns)
    {
        _table = table;
        _order = order;
        _kernels = kernels;
        _rowColumns = rowColumns;
        _outputSlot = Enumerable.Repeat(-1, table.Columns.Count).ToArray();
        for (var k = 0; k < table.OutputColumns.Length; k++)
        {
            _outputSlot[table.OutputColumns[k]] = k;
        }
    }

    /// <summary>The columnar form of <paramref name="table"/>, or null with the reason some column or relation needs the row path.</summary>
    public static ColumnarTable? TryCreate(TablePlan table, out string? rowPathReason)
    {
        rowPathReason = table.Parent is not null ? $"a child of {table.Parent.Name}" : table.Children.Count > 0 ? "has child tables" : null;
        if (rowPathReason is not null)
        {
            return null;
        }

        // Columns without a kernel (expressions, references, null_when, pack generators) are computed row by row
        // through a frame, before the kernels run; kernels may read them like any other column.
        var kernels = new ColumnKernel?[table.Columns.Count];
        var rowColumns = new List<int>();
        foreach (var c in table.Columns)
        {
            if (c.FaultRate > 0)
            {
                // Faults are listed in row order; the row path records them as it goes.
                rowPathReason = $"column {c.Name} injects faults";
                return null;
            }

            if (c.Kernel is { } k && c.NullWhen is null && c.RefTarget is null && c.Type == c.Generator?.Type)
            {
                kernels[c.Index] = k;
            }
            else
            {
                rowColumns.Add(c.Index);
            }
        }

        // Inputs before the columns that read them (the planner has already rejected cycles).
        var order = new List<int>();
        var state = new byte[kernels.Length];
        bool Visit(int c)
        {
            if (state[c] == 2)
            {
                return true;
            }

            if (state[c] == 1)
            {
                return false;
            }

            state[c] = 1;
            foreach (var input in kernels[c]?.Inputs ?? [])
            {
                if (input < 0 || input >= kernels.Length || !Visit(input))
                {
                    return false;
                }
            }

            state[c] = 2;
            order.Add(c);
            return true;
        }

        for (var c = 0; c < kernels.Length; c++)
        {
            if (kernels[c] is not null && !Visit(c))
            {
                rowPathReason = $"column {table.Columns[c].Name} reads columns in a cycle";
                return null;
            }
        }

        order.RemoveAll(c => kernels[c] is null);
        return new ColumnarTable(table, [.. order], [.. order.Select(c => kernels[c]!)], [.. rowColumns]);
    }

    /// <summary>The columns without a kernel, row by row: one frame per row computes them (and what they read) as the row path does.</summary>
    private void FillRowColumns(ColumnRun run, ColumnBuffer[] columns, Worker worker)
    {
        for (var i = 0; i < run.Count; i++)
        {
            var row = run.FirstRow + i;
            var mark = worker.Arena.Mark;
            var frame = worker.Rent(_table, row, row, null, recordFaults: false);
            foreach (var c in _rowColumns)
            {
                Store.Put(columns[c], i, frame.Get(c));
            }

            worker.Release(frame);
            worker.Arena.Rewind(mark);
        }
    }

    /// <summary>The row path's null draw (its own stream per cell, taken before the value), applied after the fill.</summary>
    private static void ApplyNullRate(ColumnPlan plan, ColumnRun run, ColumnBuffer column)
    {
        var rate = plan.NullRate;
        var text = column.Type.UsesUtf8();
        for (var i = 0; i < run.Count; i++)
        {
            var draw = Seeding.SeedTree.Cell(plan.NullSeed, run.FirstRow + i);
            if (draw.NextDouble() < rate)
            {
                column.Nulls[i] = true;
                if (text)
                {
                    column.Utf8.Commit(i, 0);
                }
            }
        }
    }

    /// <summary>
    /// The same-row column an expression is nothing but (e.g. <c>first_name</c>), when its type is one the kernel
    /// accepts; otherwise -1, and the generator has no kernel (its column is then computed row by row).
    /// </summary>
    internal static int InputColumn(ColumnPlan self, Expressions.CompiledExpression expr, Func<DataType, bool> accepts)
    {
        var name = expr.Text.Trim();
        if (name is "row" or "ordinal")
        {
            return -1; // bound to the row index, not to a column of that name
        }

        var index = self.Table.IndexOf(name);
        return index >= 0 && index != self.Index && accepts(self.Table.Columns[index].Type) ? index : -1;
    }

    /// <summary>Fills <paramref name="batch"/> (already reset) with <paramref name="count"/> rows from its first row index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(RowBatch batch, int count, Worker worker)
    {
        if (!_scratch.TryTake(out var columns))
        {
            columns = new ColumnBuffer[_table.Columns.Count];
        }

        // Output columns live in the batch; hidden ones in scratch buffers kept for the next run.
        for (var c = 0; c < columns.Length; c++)
        {
            if (_outputSlot[c] >= 0)
            {
                columns[c] = batch.Columns[_outputSlot[c]];
            }
            else
            {
                if (columns[c] is null || columns[c].Capacity < batch.Capacity)
                {
                    var col = _table.Columns[c];
                    columns[c] = new ColumnBuffer(new ColumnSchema(col.Name, col.Type, false), batch.Capacity);
                }

                columns[c].Reset();
            }
        }

        var run = new ColumnRun(columns) { FirstRow = batch.FirstRowIndex, Count = count };
        if (_rowColumns.Length > 0)
        {
            FillRowColumns(run, columns, worker);
        }

        for (var i = 0; i < _order.Length; i++)
        {
            var column = columns[_order[i]];
            _kernels[i].Fill(run, column);
            if (_table.Columns[_order[i]].NullRate > 0)
            {
                // Before any column that reads this one: it must see the nulls, as on the row path.
                ApplyNullRate(_table.Columns[_order[i]], run, column);
            }
        }

        batch.Count = count;
        for (var c = 0; c < columns.Length; c++)
        {
            if (_outputSlot[c] >= 0)
            {
                columns[c] = null!; // do not keep the batch's buffers alive in the scratch set
            }
        }

        _scratch.Add(columns);
    }
}
