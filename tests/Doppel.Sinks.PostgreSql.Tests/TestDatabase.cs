using System.Globalization;
using System.Text;
using Npgsql;

namespace Doppel.Sinks.PostgreSql.Tests;

/// <summary>The real PostgreSQL + PostGIS server the tests run against (started by .ci/services/postgres.sh).</summary>
internal static class TestDatabase
{
    public const string EnvironmentVariable = "DOPPEL_TEST_PG";
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=doppel";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs : DefaultConnectionString;

    /// <summary>Sink options for <paramref name="schema"/> in the test database, in the keyword spelling.</summary>
    public static PostgresSinkOptions Options(string schema, string plan = "default") =>
        PostgresSinkOptions.FromUri($"{ConnectionString};Schema={schema};Plan={plan}", _ => null);

    /// <summary>Fails the test with the script to run when the server is down, instead of a sink error.</summary>
    public static async Task EnsureReachableAsync()
    {
        await using var c = await ConnectAsync();
    }

    public static async Task<NpgsqlConnection> ConnectAsync(string? searchPath = null)
    {
        var cs = searchPath is null ? ConnectionString : new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = $"\"{searchPath}\",public" }.ConnectionString;
        var connection = new NpgsqlConnection(cs);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"PostgreSQL for tests is not reachable ({EnvironmentVariable} or default '{DefaultConnectionString}'): {ex.Message}. Start it with .ci/services/postgres.sh",
                ex);
        }
    }

    /// <summary>A fresh schema name; every test works in its own.</summary>
    public static string NewSchema(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"t_{prefix}_{Guid.NewGuid():N}")[..(prefix.Length + 19)];

    public static async Task DropSchemaAsync(string schema)
    {
        await using var c = await ConnectAsync();
        await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", c);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string sql, string? searchPath = null)
    {
        await using var c = await ConnectAsync(searchPath);
        await using var cmd = new NpgsqlCommand(sql, c);
        var v = await cmd.ExecuteScalarAsync();
        return v is DBNull ? null : v;
    }

    public static async Task<long> CountAsync(string schema, string table) =>
        Convert.ToInt64(await ScalarAsync($"SELECT count(*) FROM \"{schema}\".\"{table}\""), CultureInfo.InvariantCulture);

    public static async Task<bool> TableExistsAsync(string schema, string table) =>
        await ScalarAsync($"SELECT to_regclass('\"{schema}\".\"{table}\"') IS NOT NULL") is true;

    /// <summary>An order-independent fingerprint of a table's full content (ids included), or "absent".</summary>
    public static async Task<string> HashAsync(string schema, string table)
    {
        if (!await TableExistsAsync(schema, table))
        {
            return "absent";
        }

        var hash = await ScalarAsync($"SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{schema}\".\"{table}\" t");
        return (string)hash!;
    }

    /// <summary>Fingerprints of several tables, one line each, for before/after comparisons.</summary>
    public static async Task<string> HashAllAsync(string schema, IEnumerable<string> tables)
    {
        var sb = new StringBuilder();
        foreach (var t in tables)
        {
            sb.Append(t).Append('=').Append(await HashAsync(schema, t)).Append('\n');
        }

        return sb.ToString();
    }

    public static async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var c = await ConnectAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await r.ReadAsync())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
