namespace Doppel.Mdoc.Cbor;

/// <summary>Malformed CBOR, or a well-formed item whose shape is not what a structure requires. The message is one line.</summary>
public sealed class CborException : FormatException
{
    /// <summary>Creates an exception with a message.</summary>
    public CborException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the byte offset of the problem.</summary>
    public CborException(string message, int offset)
        : base(message) => Offset = offset;

    /// <summary>Creates an exception wrapping another.</summary>
    public CborException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception without a message (for serializers).</summary>
    public CborException()
    {
    }

    /// <summary>Byte offset of the problem in the decoded input, when known.</summary>
    public int? Offset { get; }

    internal static CborException Shape(string what, string expected, CborValue found) =>
        new($"{what}: expected {expected}, found {Abbreviate(found)}");

    private static string Abbreviate(CborValue v)
    {
        var s = v.ToString();
        return s.Length <= 60 ? s : s[..60] + "…";
    }
}
