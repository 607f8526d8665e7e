using System.Text;
using Doppel.Data;

namespace Doppel.Sinks.ClickHouse;

/// <summary>ClickHouse DDL and type mapping for a <see cref="TableSchema"/>, restricted to what 18.16 (Debian 12's package) supports.</summary>
/// <remarks>
/// string/json → <c>String</c>, int → <c>Int64</c>, float → <c>Float64</c>, bool → <c>UInt8</c>,
/// date → <c>Date</c>, timestamp → <c>DateTime</c> (whole seconds, UTC; 18.16 has no DateTime64),
/// nullable → <c>Nullable(T)</c>. No <c>LowCardinality</c> (experimental in 18.16) and no <c>Map</c>.
/// </remarks>
public static class ClickHouseDdl
{
    /// <summary>The ClickHouse type of a column.</summary>
    public static string TypeOf(ColumnSchema column)
    {
        var type = column.Type switch
        {
            DataType.String or DataType.Json => "String",
            DataType.Int => "Int64",
            DataType.Float => "Float64",
            DataType.Bool => "UInt8",
            DataType.Date => "Date",
            DataType.Timestamp => "DateTime",
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "unknown data type"),
        };
        return column.Nullable ? $"Nullable({type})" : type;
    }

    /// <summary>The default ENGINE clause: MergeTree ordered by the first non-nullable timestamp column (sorting keys cannot be Nullable), else unordered.</summary>
    public static string DefaultEngine(TableSchema schema)
    {
        var key = schema.Columns.FirstOrDefault(c => c.Type is DataType.Timestamp && !c.Nullable)
            ?? schema.Columns.FirstOrDefault(c => c.Type is DataType.Date && !c.Nullable);
        return key is null ? "MergeTree() ORDER BY tuple()" : $"MergeTree() ORDER BY {Quote(key.Name)}";
    }

    /// <summary><c>CREATE TABLE IF NOT EXISTS db.table (…) ENGINE = …</c> for the schema.</summary>
    /// <param name="schema">The table's columns in order.</param>
    /// <param name="database">Target database.</param>
    /// <param name="table">Target table.</param>
    /// <param name="engine">The ENGINE clause without <c>ENGINE =</c>; null uses <see cref="DefaultEngine"/>.</param>
    public static string CreateTable(TableSchema schema, string database, string table, string? engine = null)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(Quote(database)).Append('.').Append(Quote(table)).Append("\n(\n");
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            var column = schema.Columns[i];
            sql.Append("    ").Append(Quote(column.Name)).Append(' ').Append(TypeOf(column));
            sql.Append(i < schema.Columns.Count - 1 ? ",\n" : "\n");
        }

        sql.Append(")\nENGINE = ").Append(engine ?? DefaultEngine(schema));
        return sql.ToString();
    }

    public static string CreateDatabase(string database) => $"CREATE DATABASE IF NOT EXISTS {Quote(database)}";

    /// <summary>A back-quoted identifier (backslash and back-quote escaped).</summary>
    public static string Quote(string identifier) =>
        "`" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";

    /// <summary>A single-quoted string literal.</summary>
    public static string Literal(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
