namespace Doppel.Formats.Parquet;

/// <summary>The value types a <see cref="ParquetFileWriter"/> can write.</summary>
/// <remarks>Each maps to one Parquet physical type plus, where needed, a logical type annotation.</remarks>
public enum ParquetType
{
    /// <summary>32-bit signed integer (physical INT32).</summary>
    Int32,

    /// <summary>64-bit signed integer (physical INT64).</summary>
    Int64,

    /// <summary>IEEE 754 double (physical DOUBLE). NaN, ±Infinity and -0.0 are written bit-exactly.</summary>
    Double,

    /// <summary>Boolean (physical BOOLEAN, bit-packed).</summary>
    Boolean,

    /// <summary>UTF-8 text (physical BYTE_ARRAY, logical STRING, converted UTF8).</summary>
    String,

    /// <summary>Calendar date as days since 1970-01-01 (physical INT32, logical DATE).</summary>
    Date,

    /// <summary>
    /// UTC instant as microseconds since 1970-01-01T00:00:00Z (physical INT64, logical
    /// TIMESTAMP(isAdjustedToUTC=true, MICROS), converted TIMESTAMP_MICROS for older readers).
    /// </summary>
    TimestampMicrosUtc,
}

/// <summary>One column of a flat Parquet schema.</summary>
/// <param name="Name">Column name; unique in the schema, compared case-insensitively (DuckDB folds case).</param>
/// <param name="Type">Value type.</param>
/// <param name="Nullable">True for an OPTIONAL column (may hold nulls); false for REQUIRED.</param>
public sealed record ParquetColumn(string Name, ParquetType Type, bool Nullable);

/// <summary>A flat (non-nested) Parquet schema: an ordered list of uniquely named columns.</summary>
public sealed class ParquetSchema
{
    private readonly ParquetColumn[] _columns;

    /// <summary>Creates a schema; throws <see cref="ArgumentException"/> for an empty or duplicate name or an unknown type.</summary>
    public ParquetSchema(IEnumerable<ParquetColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = [.. columns];
        if (_columns.Length == 0)
        {
            throw new ArgumentException("A Parquet schema needs at least one column.", nameof(columns));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i] ?? throw new ArgumentException($"Column {i} is null.", nameof(columns));
            if (string.IsNullOrEmpty(column.Name))
            {
                throw new ArgumentException($"Column {i} has an empty name; every Parquet column needs a name.", nameof(columns));
            }

            if (!Enum.IsDefined(column.Type))
            {
                throw new ArgumentException($"Column '{column.Name}' has unknown type {(int)column.Type}.", nameof(columns));
            }

            if (!seen.Add(column.Name))
            {
                throw new ArgumentException(
                    $"Column name '{column.Name}' appears twice (names are compared case-insensitively); rename one of them.",
                    nameof(columns));
            }
        }
    }

    /// <summary>Creates a schema from the given columns.</summary>
    public ParquetSchema(params ParquetColumn[] columns)
        : this((IEnumerable<ParquetColumn>)columns)
    {
    }

    /// <summary>The columns in file order.</summary>
    public IReadOnlyList<ParquetColumn> Columns => _columns;

    /// <summary>Number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at a 0-based index.</summary>
    public ParquetColumn this[int index] => _columns[index];

    /// <summary>The 0-based index of the column with this name (case-insensitive), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            if (string.Equals(_columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
