using System.Diagnostics;
using System.Globalization;
using Doppel.Data;
using Npgsql;

namespace Doppel.Sinks.PostgreSql;

/// <summary>
/// Decides where staged rows go: which target tables exist, their natural keys, and the SQL that moves
/// rows from the session's staging tables into them.
/// </summary>
/// <remarks>
/// Everything a plan does runs inside the sink's single transaction, so a plan may create tables,
/// upsert lookups and fail half-way: the sink rolls the whole run back. Plans address staging tables as
/// <c>pg_temp."name"</c>, with the names they returned from <see cref="PrepareAsync"/>.
/// </remarks>
public interface ILoadPlan
{
    /// <summary>Short name shown in descriptions (<c>default</c>, <c>incidents</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Before any row is copied: validates the run's tables, creates or verifies the targets and returns the
    /// staging tables to create (one per run table, plus any the plan wants for tables absent from the run).
    /// </summary>
    ValueTask<IReadOnlyList<StagingTable>> PrepareAsync(LoadContext context, IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken);

    /// <summary>After every row is staged: checks references and upserts staging into targets, parents first.</summary>
    ValueTask MergeAsync(LoadContext context, CancellationToken cancellationToken);
}

/// <summary>A session-local staging table (<c>CREATE TEMP TABLE … ON COMMIT DROP</c>).</summary>
/// <param name="Table">The run table it stages, or a plan-specific name for tables the run does not produce.</param>
/// <param name="Name">Unqualified name in <c>pg_temp</c>.</param>
/// <param name="Columns">Column names and PostgreSQL types, in COPY order.</param>
public sealed record StagingTable(string Table, string Name, IReadOnlyList<StagingColumn> Columns);

/// <summary>A staging column: name and PostgreSQL type name.</summary>
public sealed record StagingColumn(string Name, string PgType);

/// <summary>What the merge did to one target table.</summary>
/// <param name="Target">Schema-qualified target table.</param>
/// <param name="RowsStaged">Rows copied into its staging table in this run.</param>
/// <param name="RowsWritten">Rows inserted or changed by the upsert (rows already identical are not rewritten).</param>
public sealed record TableLoadResult(string Target, long RowsStaged, long RowsWritten);

/// <summary>How long one check or merge step took, for <c>--verbose</c> summaries and tuning.</summary>
public sealed record LoadStepTiming(string Step, TimeSpan Elapsed);

/// <summary>The connection and helpers a <see cref="ILoadPlan"/> works with, inside the run's transaction.</summary>
public sealed class LoadContext
{
    private readonly Dictionary<string, long> _stagedRows = new(StringComparer.Ordinal);
    private readonly List<TableLoadResult> _results = [];
    private readonly List<LoadStepTiming> _timings = [];

    internal LoadContext(NpgsqlConnection connection, PostgresSinkOptions options)
    {
        Connection = connection;
        Options = options;
    }

    public NpgsqlConnection Connection { get; }

    public PostgresSinkOptions Options { get; }

    /// <summary>The target schema (<see cref="PostgresSinkOptions.EffectiveSchema"/>).</summary>
    public string Schema => Options.EffectiveSchema;

    /// <summary>Rows copied so far per run table name.</summary>
    public IReadOnlyDictionary<string, long> StagedRows => _stagedRows;

    /// <summary>Per-target outcomes recorded by the plan with <see cref="Record"/>.</summary>
    public IReadOnlyList<TableLoadResult> Results => _results;

    /// <summary>Durations of the checks and steps run so far, in order.</summary>
    public IReadOnlyList<LoadStepTiming> Timings => _timings;

    /// <summary>Rows staged for a run table, 0 when the run did not produce it.</summary>
    public long Staged(string table) => _stagedRows.GetValueOrDefault(table);

    public void Record(string target, long rowsStaged, long rowsWritten) => _results.Add(new(target, rowsStaged, rowsWritten));

    internal void AddStaged(string table, long rows) => _stagedRows[table] = Staged(table) + rows;

    /// <summary>Runs SQL and returns the affected row count.</summary>
    public async ValueTask<long> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, Connection);
        cmd.Parameters.AddRange(parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query and returns the first column of the first row (or <see langword="null"/>).</summary>
    public async ValueTask<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, Connection);
        cmd.Parameters.AddRange(parameters);
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query and returns every row's first column as text.</summary>
    public async ValueTask<List<string>> ColumnAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, Connection);
        cmd.Parameters.AddRange(parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "");
        }

        return list;
    }

    /// <summary>
    /// Runs one merge step under a savepoint. If PostgreSQL rejects it, the step is rolled back to the
    /// savepoint, <paramref name="diagnose"/> may query for a precise explanation (e.g. the duplicate key),
    /// and a one-line <see cref="DoppelException"/> naming the step is thrown.
    /// </summary>
    public async ValueTask<long> ExecuteStepAsync(string step, string sql, Func<CancellationToken, ValueTask<string?>>? diagnose, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await ExecuteAsync("SAVEPOINT doppel_step", cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync("RELEASE SAVEPOINT doppel_step", cancellationToken).ConfigureAwait(false);
            _timings.Add(new(step, clock.Elapsed));
            return rows;
        }
        catch (PostgresException ex)
        {
            string? explanation = null;
            try
            {
                await ExecuteAsync("ROLLBACK TO SAVEPOINT doppel_step", cancellationToken).ConfigureAwait(false);
                if (diagnose is not null)
                {
                    explanation = await diagnose(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (NpgsqlException)
            {
                // The diagnosis is a courtesy; the original error still explains the failure.
            }

            throw new DoppelException($"PostgreSQL load failed while {step}: {explanation ?? PostgresErrors.Describe(ex)}; nothing was committed", ExitCodes.RuntimeError, ex);
        }
    }

    /// <summary>
    /// Runs a check query whose rows are problems, shaped <c>(message text, example text, rows bigint)</c>.
    /// Throws a <see cref="DoppelException"/> quoting the first problem when there is any.
    /// </summary>
    public async ValueTask CheckAsync(string step, string sql, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var cmd = new NpgsqlCommand(sql, Connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? first = null;
        var problems = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (problems++ == 0)
            {
                var rows = reader.GetInt64(2);
                var example = reader.IsDBNull(1) ? "" : reader.GetString(1);
                first = string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)} ({rows} row{(rows == 1 ? "" : "s")}{(example.Length > 0 ? ", e.g. " + example : "")})");
            }
        }

        _timings.Add(new(step, clock.Elapsed));
        if (first is not null)
        {
            var more = problems > 1 ? string.Create(CultureInfo.InvariantCulture, $" and {problems - 1} more problem(s)") : "";
            throw new DoppelException($"PostgreSQL load rejected while {step}: {first}{more}; nothing was committed", ExitCodes.RuntimeError);
        }
    }
}
