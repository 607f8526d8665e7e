using System.Runtime.CompilerServices;
using System.Text.Unicode;
using Doppel.Data;
using Doppel.Seeding;

namespace Doppel.Execution.Columnar;

/// <summary>Draws one value from a cell's random stream (and its row index).</summary>
public delegate Value CellDraw(ref Rng rng, long row);

/// <summary>Writes one cell's text from its random stream (and its row index) into <paramref name="dest"/>; returns the chars written.</summary>
public delegate int CellWriter(ref Rng rng, long row, Span<char> dest);

/// <summary>Consecutive integers: start + row × step (no random draw).</summary>
internal sealed class SequenceKernel(long start, long step) : ColumnKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Fill(ColumnRun run, ColumnBuffer dest)
    {
        var values = dest.Int64;
        for (var i = 0; i < run.Count; i++)
        {
            values[i] = start + ((run.FirstRow + i) * step);
        }
    }
}

/// <summary>A value per cell from its own random stream, stored like the row path stores it (numbers, dates, constant text).</summary>
public sealed class DrawKernel(ulong seed, CellDraw draw) : ColumnKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Fill(ColumnRun run, ColumnBuffer dest)
    {
        for (var i = 0; i < run.Count; i++)
        {
            var row = run.FirstRow + i;
            var rng = SeedTree.Cell(seed, row);
            Store.Put(dest, i, draw(ref rng, row));
        }
    }
}

/// <summary>Text per cell written as UTF-16 into a small stack buffer, then stored as UTF-8.</summary>
public sealed class CharsKernel(ulong seed, int maxChars, CellWriter write) : ColumnKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Fill(ColumnRun run, ColumnBuffer dest)
    {
        // Rows get exactly the space the row path's arena gives them, so writers see the same span length.
        Span<char> buffer = maxChars <= 512 ? stackalloc char[maxChars] : new char[maxChars];
        var utf8 = dest.Utf8;
        for (var i = 0; i < run.Count; i++)
        {
            var row = run.FirstRow + i;
            var rng = SeedTree.Cell(seed, row);
            var n = write(ref rng, row, buffer);
            Utf8Cells.Put(utf8, i, buffer[..n]);
        }
    }
}

/// <summary>UTF-8 cell helpers shared by kernels.</summary>
public static class Utf8Cells
{
    /// <summary>Stores UTF-16 text as UTF-8 in slot <paramref name="slot"/> (as the row path's store does).</summary>
    public static void Put(Utf8Column column, int slot, ReadOnlySpan<char> text)
    {
        var dest = column.Reserve(text.Length * 3);
        if (text.Length <= 32)
        {
            // Short generated text is nearly always ASCII: narrow it in one pass instead of calling the transcoder.
            var any = 0;
            for (var i = 0; i < text.Length; i++)
            {
                any |= text[i];
                dest[i] = (byte)text[i];
            }

            if (any < 0x80)
            {
                column.Commit(slot, text.Length);
                return;
            }
        }

        Utf8.FromUtf16(text, dest, out _, out var written);
        column.Commit(slot, written);
    }
}
