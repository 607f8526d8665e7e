namespace Doppel;

/// <summary>
/// An expected failure the user can act on (bad input, unreachable service). The CLI prints
/// <see cref="Exception.Message"/> as one line, without a stack trace, and exits with <see cref="ExitCode"/>.
/// </summary>
public class DoppelException : Exception
{
    public DoppelException(string message, int exitCode = ExitCodes.RuntimeError, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    public DoppelException()
    {
    }

    public DoppelException(string message)
        : base(message)
    {
    }

    public DoppelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = ExitCodes.RuntimeError;
}

/// <summary>Process exit codes; documented in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run finished but validation found contract violations.</summary>
    public const int ValidationFailed = 1;

    /// <summary>Bad recipe, bad option or bad argument: nothing was written.</summary>
    public const int UsageError = 2;

    /// <summary>A destination or I/O failure (database, bucket, API, disk).</summary>
    public const int RuntimeError = 3;

    /// <summary>Cancelled by the user (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
