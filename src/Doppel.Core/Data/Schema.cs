namespace Doppel.Data;

/// <summary>A column's name, logical type and nullability, as formats and sinks see it.</summary>
public sealed record ColumnSchema(string Name, DataType Type, bool Nullable);

/// <summary>A table's output shape: the columns in output order.</summary>
public sealed record TableSchema(string Name, IReadOnlyList<ColumnSchema> Columns)
{
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
