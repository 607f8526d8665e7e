using System.Globalization;
using Doppel.Data;
using Npgsql;

namespace Doppel.Sinks.PostgreSql;

/// <summary>
/// The generic plan: each run table goes to the same-named table in the target schema (created from the
/// run schema when <see cref="PostgresSinkOptions.CreateTables"/> is set), upserted on its natural key.
/// </summary>
/// <remarks>
/// The natural key of a table is <see cref="PostgresSinkOptions.Keys"/>[table], or its first column when
/// none is configured. An existing target must have every run column and a unique index on exactly the
/// key columns (what <c>ON CONFLICT</c> needs); created tables get a primary key on them. Tables are merged
/// in run order, which is the recipe's dependency order (parents first), so foreign keys hold at each step.
/// </remarks>
public sealed class DefaultLoadPlan : ILoadPlan
{
    /// <summary>The <c>plan=</c> value that selects this plan.</summary>
    public const string PlanName = "default";

    private readonly List<(TableSchema Table, string Staging, IReadOnlyList<string> Key)> _tables = [];

    public string Name => PlanName;

    public async ValueTask<IReadOnlyList<StagingTable>> PrepareAsync(LoadContext context, IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken)
    {
        var options = context.Options;
        CheckKeysNameRunTables(options, tables);
        if (options.CreateTables)
        {
            await context.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS " + PgSql.Quote(context.Schema), cancellationToken).ConfigureAwait(false);
        }

        var staging = new List<StagingTable>();
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            if (table.Columns.Count == 0)
            {
                throw new DoppelException($"Table '{table.Name}' has no columns; nothing to load into PostgreSQL", ExitCodes.UsageError);
            }

            var key = KeyOf(options, table);
            if (options.CreateTables)
            {
                await context.ExecuteAsync(CreateTableSql(context.Schema, table, key), cancellationToken).ConfigureAwait(false);
            }

            await VerifyTargetAsync(context, table, key, cancellationToken).ConfigureAwait(false);

            // "stage_<table>" keeps errors readable; an index-based name avoids silent truncation of long names.
            var name = PgSql.FitsIdentifier("stage_" + table.Name) ? "stage_" + table.Name : string.Create(CultureInfo.InvariantCulture, $"stage_{i}");
            staging.Add(new StagingTable(table.Name, name, [.. table.Columns.Select(c => new StagingColumn(c.Name, PgSql.TypeName(c.Type)))]));
            _tables.Add((table, name, key));
        }

        return staging;
    }

    public async ValueTask MergeAsync(LoadContext context, CancellationToken cancellationToken)
    {
        foreach (var (table, staging, key) in _tables)
        {
            var target = PgSql.Qualify(context.Schema, table.Name);
            var staged = context.Staged(table.Name);
            var written = staged == 0
                ? 0
                : await context.ExecuteStepAsync(
                    $"upserting {context.Schema}.{table.Name}",
                    UpsertSql(target, "pg_temp." + PgSql.Quote(staging), table.Columns.Select(c => c.Name).ToList(), key),
                    ct => DuplicateKeyAsync(context, table.Name, staging, key, ct),
                    cancellationToken).ConfigureAwait(false);
            context.Record($"{context.Schema}.{table.Name}", staged, written);
        }
    }

    /// <summary>
    /// <c>INSERT … SELECT … ON CONFLICT (key) DO UPDATE</c> that rewrites only rows whose content differs,
    /// so an identical re-run writes nothing (no dead tuples, unchanged xmin).
    /// </summary>
    internal static string UpsertSql(string target, string source, IReadOnlyList<string> columns, IReadOnlyList<string> key)
    {
        var list = PgSql.QuoteList(columns);
        var sql = $"INSERT INTO {target} AS t ({list}) SELECT {list} FROM {source} ON CONFLICT ({PgSql.QuoteList(key)}) ";
        var rest = columns.Where(c => !key.Contains(c, StringComparer.Ordinal)).Select(PgSql.Quote).ToList();
        if (rest.Count == 0)
        {
            return sql + "DO NOTHING";
        }

        var set = string.Join(", ", rest.Select(c => $"{c} = EXCLUDED.{c}"));
        var mine = string.Join(", ", rest.Select(c => "t." + c));
        var theirs = string.Join(", ", rest.Select(c => "EXCLUDED." + c));
        return sql + $"DO UPDATE SET {set} WHERE ({mine}) IS DISTINCT FROM ({theirs})";
    }

    private static IReadOnlyList<string> KeyOf(PostgresSinkOptions options, TableSchema table)
    {
        var key = options.Keys.TryGetValue(table.Name, out var k)
            ? k
            : options.Keys.FirstOrDefault(p => string.Equals(p.Key, table.Name, StringComparison.OrdinalIgnoreCase)).Value ?? [table.Columns[0].Name];
        foreach (var column in key)
        {
            if (table.IndexOf(column) < 0)
            {
                var hint = PostgresSinkOptions.Suggest(column, table.Columns.Select(c => c.Name)) is { } s ? $" (did you mean '{s}'?)" : "";
                throw new DoppelException($"Key column '{column}' of table '{table.Name}' is not one of its columns{hint}", ExitCodes.UsageError);
            }
        }

        return key;
    }

    private static void CheckKeysNameRunTables(PostgresSinkOptions options, IReadOnlyList<TableSchema> tables)
    {
        foreach (var name in options.Keys.Keys)
        {
            if (!tables.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                var hint = PostgresSinkOptions.Suggest(name, tables.Select(t => t.Name)) is { } s ? $" (did you mean '{s}'?)" : "";
                throw new DoppelException($"key.{name} names a table the run does not produce{hint}", ExitCodes.UsageError);
            }
        }
    }

    private static string CreateTableSql(string schema, TableSchema table, IReadOnlyList<string> key)
    {
        var columns = table.Columns.Select(c => $"{PgSql.Quote(c.Name)} {PgSql.TypeName(c.Type)}{(c.Nullable ? "" : " NOT NULL")}");
        return $"CREATE TABLE IF NOT EXISTS {PgSql.Qualify(schema, table.Name)} ({string.Join(", ", columns)}, PRIMARY KEY ({PgSql.QuoteList(key)}))";
    }

    private static async ValueTask VerifyTargetAsync(LoadContext context, TableSchema table, IReadOnlyList<string> key, CancellationToken ct)
    {
        var name = $"{context.Schema}.{table.Name}";
        var existing = await context.ColumnAsync(
            "SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = to_regclass(@t) AND a.attnum > 0 AND NOT a.attisdropped",
            ct,
            new NpgsqlParameter("t", PgSql.Qualify(context.Schema, table.Name))).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            throw new DoppelException($"Target table {name} does not exist; create it or use create_tables=true", ExitCodes.RuntimeError);
        }

        var missing = table.Columns.Select(c => c.Name).Where(c => !existing.Contains(c, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new DoppelException($"Target table {name} lacks column(s) {string.Join(", ", missing)} that the run produces", ExitCodes.RuntimeError);
        }

        // ON CONFLICT (key) needs a unique index whose key columns are exactly the natural key.
        var hasUnique = await context.ScalarAsync(
            """
            SELECT EXISTS (
              SELECT 1 FROM pg_index i
              WHERE i.indrelid = to_regclass(@t) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                AND i.indnkeyatts = cardinality(@k::text[])
                AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text) FROM pg_attribute a
                     WHERE a.attrelid = i.indrelid AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1]))
                    = (SELECT array_agg(x ORDER BY x) FROM unnest(@k::text[]) x))
            """,
            ct,
            new NpgsqlParameter("t", PgSql.Qualify(context.Schema, table.Name)),
            new NpgsqlParameter("k", key.ToArray())).ConfigureAwait(false);
        if (hasUnique is not true)
        {
            throw new DoppelException(
                $"Target table {name} has no unique index on ({string.Join(", ", key)}), which the upsert needs; add one or choose the key with key.{table.Name}=<columns>",
                ExitCodes.RuntimeError);
        }
    }

    private static async ValueTask<string?> DuplicateKeyAsync(LoadContext context, string table, string staging, IReadOnlyList<string> key, CancellationToken ct)
    {
        var keyList = PgSql.QuoteList(key);
        var rows = await context.ColumnAsync(
            $"SELECT format('%s occurs %s times', ({keyList})::text, count(*)) FROM pg_temp.{PgSql.Quote(staging)} GROUP BY {keyList} HAVING count(*) > 1 LIMIT 1",
            ct).ConfigureAwait(false);
        return rows.Count == 0
            ? null
            : $"the natural key ({string.Join(", ", key)}) of table '{table}' repeats in this run: {rows[0]}; make the key unique or choose another with key.{table}=<columns>";
    }
}
