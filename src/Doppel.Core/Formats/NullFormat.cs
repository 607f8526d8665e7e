using Doppel.Data;

namespace Doppel.Formats;

/// <summary>Discards rows: measures generation alone (<c>--format null</c>); files are created empty.</summary>
public sealed class NullFormat : ITableFormat
{
    public string Name => "null";

    public string Extension => "null";

    public string ContentType => "application/octet-stream";

    public bool Concatenates => true;

    public ITableFormatWriter Open(Stream output, TableSchema schema, FilePart part) => new Writer();

    private sealed class Writer : ITableFormatWriter
    {
        public void Write(RowBatch batch)
        {
        }

        public (long Bytes, string Sha256) Complete() => (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        public void Dispose()
        {
        }
    }
}
