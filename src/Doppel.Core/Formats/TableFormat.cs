using Doppel.Data;

namespace Doppel.Formats;

/// <summary>Where a file sits in a possibly sharded run; decides who writes headers and footers.</summary>
/// <param name="IsFirstPart">True for shard 0 (or an unsharded run): writes the header / opening bracket.</param>
/// <param name="IsLastPart">True for the last shard (or an unsharded run): writes the footer / closing bracket.</param>
public readonly record struct FilePart(bool IsFirstPart, bool IsLastPart)
{
    public static FilePart Whole => new(true, true);
}

/// <summary>Turns row batches into bytes. Formats know nothing about destinations.</summary>
public interface ITableFormat
{
    string Name { get; }

    /// <summary>The file extension without a dot, e.g. <c>csv</c>.</summary>
    string Extension { get; }

    string ContentType { get; }

    /// <summary>Whether shard files of one table concatenate, byte for byte, into the single-run file.</summary>
    bool Concatenates { get; }

    ITableFormatWriter Open(Stream output, TableSchema schema, FilePart part);
}

/// <summary>Writes one table file. Batches arrive in row order; the writer must not depend on batch boundaries.</summary>
public interface ITableFormatWriter : IDisposable
{
    void Write(RowBatch batch);

    /// <summary>Writes any footer and returns (bytes, sha256 hex) of the whole file.</summary>
    (long Bytes, string Sha256) Complete();
}

/// <summary>
/// A format whose rows encode independently of one another (CSV, JSON Lines; JSON, whose writer drops the first comma):
/// generation threads encode batches in parallel, and the file's writer only appends and hashes the bytes.
/// </summary>
public interface IRowEncodingFormat : ITableFormat
{
    /// <summary>
    /// Appends the rows of <paramref name="batch"/>, without header or footer, in the form this format's writer takes
    /// through <see cref="IEncodedRowsWriter.WriteEncoded"/>: the bytes it would write for them itself.
    /// </summary>
    void EncodeRows(RowBatch batch, Utf8Output output);
}

/// <summary>A writer of an <see cref="IRowEncodingFormat"/> that takes rows already encoded by <see cref="IRowEncodingFormat.EncodeRows"/>.</summary>
public interface IEncodedRowsWriter
{
    void WriteEncoded(ReadOnlySpan<byte> rows);
}

/// <summary>The built-in text formats by name.</summary>
public static class TableFormats
{
    public static readonly IReadOnlyDictionary<string, ITableFormat> BuiltIn = new Dictionary<string, ITableFormat>(StringComparer.Ordinal)
    {
        ["csv"] = new CsvFormat(),
        ["jsonl"] = new JsonLinesFormat(),
        ["json"] = new JsonArrayFormat(),
        ["null"] = new NullFormat(),
    };
}
