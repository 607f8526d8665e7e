namespace Doppel.Data;

/// <summary>A contiguous run of rows of one table, stored column by column.</summary>
/// <remarks>
/// <see cref="FirstRowIndex"/> is the 0-based index of the batch's first row in the whole table
/// (not in the shard), so a batch means the same thing whatever the thread count or shard split.
/// Batches are pooled: a consumer must finish with a batch before its call returns.
/// </remarks>
public sealed class RowBatch
{
    public RowBatch(TableSchema schema, int capacity)
    {
        Schema = schema;
        Capacity = capacity;
        Columns = new ColumnBuffer[schema.Columns.Count];
        for (var i = 0; i < Columns.Length; i++)
        {
            Columns[i] = new ColumnBuffer(schema.Columns[i], capacity);
        }
    }

    public TableSchema Schema { get; }

    public string Table => Schema.Name;

    public int Capacity { get; }

    public long FirstRowIndex { get; set; }

    public int Count { get; set; }

    public ColumnBuffer[] Columns { get; }

    public ColumnBuffer this[string name] => Columns[Schema.IndexOf(name)];

    /// <summary>For tables written one file per parent row: the relative file path these rows belong to.</summary>
    public string? Partition { get; set; }

    public void Reset(long firstRowIndex)
    {
        FirstRowIndex = firstRowIndex;
        Count = 0;
        Partition = null;
        foreach (var c in Columns)
        {
            c.Reset();
        }
    }
}
