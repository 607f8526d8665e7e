using Doppel.Data;

namespace Doppel.Output;

/// <summary>A destination that consumes rows directly (a database, an HTTP API), rather than files.</summary>
/// <remarks>
/// Call order: <see cref="OpenAsync"/> once, then <see cref="WriteAsync"/> for every batch (tables in
/// plan order; rows of a table in index order), then <see cref="CompleteAsync"/> to commit. On any
/// failure the caller calls <see cref="AbortAsync"/>, which must leave the destination as it was where
/// the destination allows it (a database transaction rolled back).
/// </remarks>
public interface IRowSink : IAsyncDisposable
{
    /// <summary>A short human-readable description for plans and summaries, without secrets.</summary>
    string Describe();

    ValueTask OpenAsync(IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken);

    ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken);

    ValueTask CompleteAsync(CancellationToken cancellationToken);

    ValueTask AbortAsync(CancellationToken cancellationToken);
}

/// <summary>A finished local file to publish, with the key it gets at the destination.</summary>
/// <param name="LocalPath">Absolute path of the complete file on disk.</param>
/// <param name="Key">Destination key relative to the destination root, '/'-separated (an S3 object key).</param>
/// <param name="ContentType">MIME type, e.g. <c>text/csv</c>.</param>
/// <param name="Sha256Hex">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="ChecksumFor">For a checksum sidecar, the key of the data file it verifies (published only after that file).</param>
public sealed record PublishedFile(string LocalPath, string Key, string ContentType, string Sha256Hex, string? ChecksumFor = null);

/// <summary>A destination that receives complete files (a bucket, a remote folder).</summary>
public interface IFilePublisher : IAsyncDisposable
{
    string Describe();

    /// <summary>Publishes every file; data files before their checksum sidecars. Throws <see cref="DoppelException"/> naming what was and was not published on failure.</summary>
    ValueTask<PublishReport> PublishAsync(IReadOnlyList<PublishedFile> files, CancellationToken cancellationToken);
}

/// <summary>What a publisher did: keys published and keys not published (with the reason).</summary>
public sealed record PublishReport(IReadOnlyList<string> Published, IReadOnlyList<(string Key, string Reason)> Failed)
{
    public bool Succeeded => Failed.Count == 0;
}
