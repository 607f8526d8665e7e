using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Doppel.Data;

/// <summary>Copies short UTF-8 values (most generated text) with one 16-byte vector move instead of a general copy call.</summary>
internal static class ShortCopy
{
    /// <summary>
    /// Copies <paramref name="length"/> bytes of <paramref name="source"/> from <paramref name="start"/>; when the value is
    /// at most 16 bytes and 16 bytes are readable there, all 16 move at once, so <paramref name="dest"/> needs that room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(byte[] source, int start, int length, Span<byte> dest)
    {
        if (length <= 16 && start + 16 <= source.Length)
        {
            Vector128.Create<byte>(source.AsSpan(start, 16)).CopyTo(dest);
        }
        else
        {
            source.AsSpan(start, length).CopyTo(dest);
        }
    }
}
