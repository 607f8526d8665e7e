using System.Text;
using Doppel.Data;
using NpgsqlTypes;

namespace Doppel.Sinks.PostgreSql;

/// <summary>SQL text helpers: identifier quoting and the Doppel → PostgreSQL type mapping.</summary>
public static class PgSql
{
    /// <summary>PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1).</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>Quotes an identifier (table, column, schema) so any name is taken literally and case-sensitively.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary><c>"schema"."table"</c>.</summary>
    public static string Qualify(string schema, string table) => Quote(schema) + "." + Quote(table);

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Comma-separated quoted identifiers.</summary>
    public static string QuoteList(IEnumerable<string> identifiers) => string.Join(", ", identifiers.Select(Quote));

    /// <summary>The column type a Doppel logical type is stored as, in staging and in created target tables.</summary>
    /// <remarks>Ints are 64-bit in Doppel, so they map to bigint; timestamps are UTC instants, so timestamptz.</remarks>
    public static string TypeName(DataType type) => type switch
    {
        DataType.String => "text",
        DataType.Int => "bigint",
        DataType.Float => "double precision",
        DataType.Bool => "boolean",
        DataType.Date => "date",
        DataType.Timestamp => "timestamptz",
        DataType.Json => "jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type"),
    };

    /// <summary>The Npgsql wire type used when a column of <paramref name="type"/> is written by binary COPY.</summary>
    public static NpgsqlDbType DbType(DataType type) => type switch
    {
        DataType.String => NpgsqlDbType.Text,
        DataType.Int => NpgsqlDbType.Bigint,
        DataType.Float => NpgsqlDbType.Double,
        DataType.Bool => NpgsqlDbType.Boolean,
        DataType.Date => NpgsqlDbType.Date,
        DataType.Timestamp => NpgsqlDbType.TimestampTz,
        DataType.Json => NpgsqlDbType.Jsonb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type"),
    };

    /// <summary>True when <paramref name="identifier"/> fits PostgreSQL's identifier length without truncation.</summary>
    public static bool FitsIdentifier(string identifier) => Encoding.UTF8.GetByteCount(identifier) <= MaxIdentifierBytes;
}
