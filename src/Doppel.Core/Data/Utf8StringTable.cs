using System.Runtime.CompilerServices;
using System.Text;

namespace Doppel.Data;

/// <summary>
/// A fixed list of strings encoded to UTF-8 once, in one blob padded so that a value of up to 16 bytes
/// is stored with a single 16-byte vector move instead of a call to a general copy.
/// </summary>
public sealed class Utf8StringTable
{
    private const int Pad = 16;
    private readonly byte[] _blob;
    private readonly int[] _starts;
    private readonly int[] _lengths;

    public Utf8StringTable(IReadOnlyList<string> values)
    {
        _starts = new int[values.Count];
        _lengths = new int[values.Count];
        var total = values.Sum(Encoding.UTF8.GetByteCount);
        _blob = new byte[total + Pad];
        var at = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var n = Encoding.UTF8.GetBytes(values[i], _blob.AsSpan(at));
            (_starts[i], _lengths[i]) = (at, n);
            at += n;
        }
    }

    public int Count => _starts.Length;

    public ReadOnlySpan<byte> this[int index] => _blob.AsSpan(_starts[index], _lengths[index]);

    public int Length(int index) => _lengths[index];

    /// <summary>Value <paramref name="index"/> followed by padding: at least 16 readable bytes, for vector reads.</summary>
    public ReadOnlySpan<byte> Padded(int index) => _blob.AsSpan(_starts[index], Math.Max(_lengths[index], Pad));

    /// <summary>Stores value <paramref name="index"/> in slot <paramref name="slot"/> of <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyTo(Utf8Column column, int slot, int index)
    {
        var length = _lengths[index];
        ShortCopy.Copy(_blob, _starts[index], length, column.Reserve(Math.Max(length, Pad)));
        column.Commit(slot, length);
    }
}
