using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Doppel.Domain;

/// <summary>Throw helpers kept out of the hot paths so the generators stay small enough to inline.</summary>
[StackTraceHidden]
internal static class DomainThrow
{
    [DoesNotReturn]
    public static void DestinationTooShort(string what, int needed, int actual) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{what} needs a destination span of at least {needed} chars; got {actual}."));

    [DoesNotReturn]
    public static void OutOfRange(string paramName, object? value, string allowed) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            value,
            string.Create(CultureInfo.InvariantCulture, $"{paramName} = {value} is out of range; allowed: {allowed}."));

    [DoesNotReturn]
    public static void Argument(string paramName, string message) => throw new ArgumentException(message, paramName);

    /// <summary>Guards a fixed-size write; the check is one compare on the hot path.</summary>
    public static void EnsureLength(Span<char> dest, int needed, string what) => EnsureLength(dest.Length, needed, what);

    public static void EnsureLength(Span<byte> dest, int needed, string what) => EnsureLength(dest.Length, needed, what);

    private static void EnsureLength(int length, int needed, string what)
    {
        if (length < needed)
        {
            DestinationTooShort(what, needed, length);
        }
    }
}
