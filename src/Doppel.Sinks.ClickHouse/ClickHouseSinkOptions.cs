using System.Globalization;

namespace Doppel.Sinks.ClickHouse;

/// <summary>Settings of the ClickHouse sink (HTTP interface).</summary>
/// <remarks>
/// <para>
/// <c>--sink clickhouse://[user[:password]@]host[:port]/database[.table][?option=value&amp;…]</c>;
/// <c>clickhouses://</c> uses HTTPS. The port defaults to 8123 (8443 for HTTPS). Without a table every
/// recipe table goes to <c>database.&lt;recipe table name&gt;</c>. Without user info, the environment
/// variables <c>CLICKHOUSE_USER</c> and <c>CLICKHOUSE_PASSWORD</c> are used, else user <c>default</c>
/// with no password. Query options: <c>create=true</c>, <c>batch_rows=N</c>, <c>run_column=name</c>,
/// <c>run_id=text</c>, <c>source_table=name</c>, <c>compress=true|false|auto</c>, <c>verify=false</c>,
/// <c>retries=N</c>, <c>engine=…</c> (URL-encoded).
/// </para>
/// <para>
/// How this run's rows are counted at the end: with <see cref="RunIdColumn"/> every row carries
/// <see cref="RunId"/> in that String column and the check is
/// <c>SELECT count() FROM t WHERE run_column = 'run id'</c> (exact even with other writers). Without it
/// the check compares <c>count()</c> before the first and after the last insert, which assumes no
/// one else writes to the table meanwhile.
/// </para>
/// </remarks>
public sealed record ClickHouseSinkOptions
{
    public const int DefaultHttpPort = 8123;
    public const int DefaultHttpsPort = 8443;

    public ClickHouseSinkOptions(Uri endpoint, string database, string? table = null)
    {
        Endpoint = endpoint;
        Database = database;
        Table = table;
    }

    /// <summary>The HTTP interface, e.g. <c>http://127.0.0.1:8123/</c> (no path, no user info).</summary>
    public Uri Endpoint { get; init; }

    public string Database { get; init; }

    /// <summary>The target table; null sends every recipe table to a table of the same name in <see cref="Database"/>.</summary>
    public string? Table { get; init; }

    /// <summary>With <see cref="Table"/> set and several recipe tables: the one to send (default: the one named like <see cref="Table"/>).</summary>
    public string? SourceTable { get; init; }

    public string User { get; init; } = "default";

    public string? Password { get; init; }

    /// <summary>Rows per <c>INSERT</c>. Below ClickHouse's <c>max_insert_block_size</c> (1,048,576) one insert is written atomically.</summary>
    public int BatchRows { get; init; } = 50_000;

    /// <summary>Run <c>CREATE DATABASE/TABLE IF NOT EXISTS</c> (DDL from <see cref="ClickHouseDdl"/>) before inserting.</summary>
    public bool CreateTable { get; init; }

    /// <summary>The ENGINE clause for <see cref="CreateTable"/>; null picks <c>MergeTree() ORDER BY</c> the first timestamp column.</summary>
    public string? Engine { get; init; }

    /// <summary>
    /// Gzip insert bodies: true, false, or null (the default) for "when the server is not on this machine".
    /// Gzip is only used if the server decodes a gzipped probe. On a loopback address compression costs
    /// more CPU (here and in the server) than it saves (measured in docs/sinks/clickhouse.md).
    /// </summary>
    public bool? Compress { get; init; }

    /// <summary>Whether <see cref="Compress"/> asks for gzip for this endpoint.</summary>
    public bool WantsCompression => Compress ?? !IsLoopback(Endpoint);

    /// <summary>Check at the end that exactly this run's rows arrived.</summary>
    public bool VerifyCount { get; init; } = true;

    /// <summary>A String column that receives <see cref="RunId"/> in every row (added to the DDL); null uses before/after counts.</summary>
    public string? RunIdColumn { get; init; }

    /// <summary>The value written to <see cref="RunIdColumn"/>; null generates a random one (run metadata, not generated data).</summary>
    public string? RunId { get; init; }

    public int MaxRetries { get; init; } = 5;

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one HTTP request (an insert of a whole batch included).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Parses a <c>clickhouse://</c> or <c>clickhouses://</c> sink URI.</summary>
    /// <param name="sink">The <c>--sink</c> value.</param>
    /// <param name="environment">Reads environment variables (default <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <exception cref="DoppelException">The URI is malformed or has an unknown option (usage error).</exception>
    public static ClickHouseSinkOptions Parse(string sink, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        static DoppelException Usage(string message) => new(message, ExitCodes.UsageError);

        if (!Uri.TryCreate(sink, UriKind.Absolute, out var uri) || (uri.Scheme != "clickhouse" && uri.Scheme != "clickhouses"))
        {
            throw Usage($"--sink '{Redact(sink)}' is not a clickhouse:// URI (e.g. clickhouse://localhost:8123/sendflowr.email_events).");
        }

        var secure = uri.Scheme == "clickhouses";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (secure ? DefaultHttpsPort : DefaultHttpPort) : uri.Port;
        var endpoint = new UriBuilder(secure ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, uri.Host, port).Uri;

        var path = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (path.Length == 0 || path.Contains('/', StringComparison.Ordinal))
        {
            throw Usage($"--sink '{Redact(sink)}' needs a database, optionally with a table: clickhouse://host:8123/database[.table].");
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var database = dot < 0 ? path : path[..dot];
        var table = dot < 0 ? null : path[(dot + 1)..];
        if (database.Length == 0 || table is { Length: 0 })
        {
            throw Usage($"--sink '{Redact(sink)}' has an empty database or table name.");
        }

        var options = new ClickHouseSinkOptions(endpoint, database, table);
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            options = options with
            {
                User = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]),
                Password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]),
            };
        }
        else
        {
            options = options with
            {
                User = environment("CLICKHOUSE_USER") is { Length: > 0 } user ? user : "default",
                Password = environment("CLICKHOUSE_PASSWORD"),
            };
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "true" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            options = key switch
            {
                "create" => options with { CreateTable = Bool(key, value) },
                "compress" => options with { Compress = value.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : Bool(key, value) },
                "verify" => options with { VerifyCount = Bool(key, value) },
                "batch_rows" => options with { BatchRows = Int(key, value) },
                "retries" => options with { MaxRetries = Int(key, value) },
                "run_column" => options with { RunIdColumn = value },
                "run_id" => options with { RunId = value },
                "source_table" => options with { SourceTable = value },
                "engine" => options with { Engine = value },
                _ => throw Usage($"Unknown ClickHouse sink option '{key}'; known: create, batch_rows, run_column, run_id, source_table, compress, verify, retries, engine."),
            };
        }

        options.Validate();
        return options;

        static bool Bool(string key, string value) => value.ToUpperInvariant() switch
        {
            "TRUE" or "1" or "YES" => true,
            "FALSE" or "0" or "NO" => false,
            _ => throw Usage($"ClickHouse sink option {key}={value} must be true or false."),
        };

        static int Int(string key, string value) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Usage($"ClickHouse sink option {key}={value} must be a whole number.");
    }

    /// <summary>Checks ranges; throws a usage error naming the bad option.</summary>
    public void Validate()
    {
        static void Fail(string message) => throw new DoppelException(message, ExitCodes.UsageError);

        if (BatchRows < 1)
        {
            Fail($"ClickHouse batch_rows {BatchRows} must be at least 1.");
        }

        if (MaxRetries < 0)
        {
            Fail($"ClickHouse retries {MaxRetries} must be 0 or more.");
        }

        if (RunIdColumn is { Length: 0 })
        {
            Fail("ClickHouse run_column must not be empty.");
        }

        if (Timeout <= TimeSpan.Zero || BackoffCap < BackoffBase)
        {
            Fail("ClickHouse timeout must be positive and the backoff cap at least the backoff base.");
        }
    }

    /// <summary>A description without secrets: <c>clickhouse://user@host:port/db.table</c>.</summary>
    public override string ToString() =>
        $"{(Endpoint.Scheme == Uri.UriSchemeHttps ? "clickhouses" : "clickhouse")}://{User}@{Endpoint.Host}:{Endpoint.Port.ToString(CultureInfo.InvariantCulture)}/{Database}{(Table is null ? string.Empty : "." + Table)}";

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (System.Net.IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));

    private static string Redact(string sink)
    {
        // Never echo a password from the URI in an error message.
        var at = sink.IndexOf('@', StringComparison.Ordinal);
        var scheme = sink.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? string.Concat(sink.AsSpan(0, scheme + 3), "***", sink.AsSpan(at)) : sink;
    }
}
