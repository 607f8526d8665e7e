namespace Doppel;

/// <summary>Doppel's version, written into every manifest.</summary>
public static class DoppelInfo
{
    public const string Version = "0.1.0";
}
