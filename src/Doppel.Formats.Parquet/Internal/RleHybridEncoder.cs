using System.Numerics;

namespace Doppel.Formats.Parquet.Internal;

/// <summary>
/// The RLE / bit-packing hybrid (parquet-format Encodings.md, "RLE = 3"), used for definition levels and
/// dictionary indices. Runs of 8 or more equal values become RLE runs; everything else is bit-packed in
/// groups of 8, LSB first. Only the very last bit-packed group may be padded (readers stop at the value count).
/// </summary>
internal static class RleHybridEncoder
{
    private const int MinRleRun = 8;

    /// <summary>Bits needed for values 0..<paramref name="maxValue"/>, at least 1 (some readers mishandle width 0).</summary>
    public static int BitWidth(int maxValue) => Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)maxValue));

    public static void Encode(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output) => EncodeCore(values, bitWidth, output);

    public static void Encode(ReadOnlySpan<byte> values, int bitWidth, ByteBuffer output) => EncodeCore(values, bitWidth, output);

    private static void EncodeCore<T>(ReadOnlySpan<T> values, int bitWidth, ByteBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        var byteWidth = (bitWidth + 7) / 8;
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i, int.MaxValue);
            if (run >= MinRleRun)
            {
                output.WriteVarint((ulong)run << 1);
                var v = uint.CreateTruncating(values[i]);
                for (var b = 0; b < byteWidth; b++)
                {
                    output.WriteByte((byte)(v >> (8 * b)));
                }

                i += run;
                continue;
            }

            // Bit-pack groups of 8 until a long run starts at a group boundary.
            var start = i;
            var groups = 0;
            do
            {
                i += 8;
                groups++;
            }
            while (i < values.Length && RunLength(values, i, MinRleRun) < MinRleRun);

            output.WriteVarint(((ulong)groups << 1) | 1);
            BitPack(values[start..Math.Min(i, values.Length)], groups * 8, bitWidth, output);
            i = Math.Min(i, values.Length);
        }
    }

    private static int RunLength<T>(ReadOnlySpan<T> values, int start, int limit)
        where T : unmanaged, IBinaryInteger<T>
    {
        var first = values[start];
        var end = (int)Math.Min((long)start + limit, values.Length);
        var j = start + 1;
        while (j < end && values[j] == first)
        {
            j++;
        }

        return j - start;
    }

    /// <summary>Packs <paramref name="count"/> values (zero-padded past the span) LSB first.</summary>
    private static void BitPack<T>(ReadOnlySpan<T> values, int count, int bitWidth, ByteBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        var span = output.GetSpan(count * bitWidth / 8);
        var written = 0;
        ulong accumulator = 0;
        var bits = 0;
        for (var k = 0; k < count; k++)
        {
            var v = k < values.Length ? ulong.CreateTruncating(values[k]) : 0UL;
            accumulator |= v << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                span[written++] = (byte)accumulator;
                accumulator >>= 8;
                bits -= 8;
            }
        }

        output.Advance(written);
    }
}
