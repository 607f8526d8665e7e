namespace Doppel.Packs.Trust;

/// <summary>A user-facing failure of the trust pack; the message is one actionable line.</summary>
public class TrustException : Exception
{
    public TrustException(string message)
        : base(message)
    {
    }

    public TrustException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrustException()
    {
    }
}

/// <summary>A bad option value: the message names the option, the value and what is allowed.</summary>
public sealed class TrustOptionException : TrustException
{
    public TrustOptionException(string option, string? value, string allowed)
        : base($"trust option '{option}': invalid value '{value}'; allowed: {allowed}.")
    {
        Option = option;
        Value = value;
        Allowed = allowed;
    }

    public TrustOptionException(string message)
        : base(message)
    {
        Option = Allowed = string.Empty;
    }

    public TrustOptionException()
    {
        Option = Allowed = string.Empty;
    }

    public TrustOptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Option = Allowed = string.Empty;
    }

    public string Option { get; }

    public string? Value { get; }

    public string Allowed { get; }
}

/// <summary>
/// The database insert failed; the files were still written (see <see cref="Result"/>).
/// </summary>
public sealed class TrustDatabaseException : TrustException
{
    public TrustDatabaseException(string message, TrustResult? result, Exception? inner)
        : base(message, inner ?? new InvalidOperationException(message))
    {
        Result = result;
    }

    public TrustDatabaseException()
    {
    }

    public TrustDatabaseException(string message)
        : base(message)
    {
    }

    public TrustDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrustResult? Result { get; }
}
