using Doppel.Output;

namespace Doppel.Sinks.S3;

/// <summary>A publish run that stopped; <see cref="Report"/> names every key published and not published.</summary>
public sealed class S3PublishException : DoppelException
{
    public S3PublishException(string message, int exitCode, PublishReport report, Exception? inner)
        : base(message, exitCode, inner) => Report = report;

    public S3PublishException(string message, int exitCode = ExitCodes.RuntimeError, Exception? inner = null)
        : base(message, exitCode, inner) => Report = new PublishReport([], []);

    public S3PublishException()
        : base() => Report = new PublishReport([], []);

    public S3PublishException(string message)
        : base(message) => Report = new PublishReport([], []);

    public S3PublishException(string message, Exception innerException)
        : base(message, innerException) => Report = new PublishReport([], []);

    public PublishReport Report { get; }
}

/// <summary>Counters of the last <see cref="S3FilePublisher.PublishAsync"/> run, for summaries and tests.</summary>
/// <param name="Uploaded">Keys (with prefix) whose bytes were sent in this run.</param>
/// <param name="SkippedUnchanged">Keys already present with the same size and SHA-256 (see <see cref="S3PublisherOptions.SkipUnchanged"/>).</param>
/// <param name="Retries">Requests resent after a transient failure.</param>
/// <param name="BytesUploaded">Bytes of completed objects sent in this run.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record S3PublishStatistics(IReadOnlyList<string> Uploaded, IReadOnlyList<string> SkippedUnchanged, int Retries, long BytesUploaded, TimeSpan Elapsed);
