using System.Data.Common;
using System.Globalization;
using System.Text;
using Doppel.Sinks.PostgreSql.Incidents;
using Npgsql;

namespace Doppel.Sinks.PostgreSql;

/// <summary>Where and how <see cref="PostgresRowSink"/> loads: connection, target schema, load plan and natural keys.</summary>
/// <remarks>
/// Build it with <see cref="FromUri"/> from <c>--sink</c> or <c>DATABASE_URL</c>, then adjust with <c>with</c>
/// (for example to pass the recipe's primary keys as <see cref="Keys"/>). Two spellings are accepted:
/// <list type="bullet">
/// <item><c>postgres://user:pass@host:port/db?schema=x&amp;plan=incidents&amp;key.users=user_id</c>
/// (also <c>postgresql://</c>; user, password and database are percent-decoded).</item>
/// <item>An Npgsql keyword string, <c>Host=h;Port=5432;Username=u;Password=p;Database=db;Schema=x</c>
/// (libpq's <c>dbname</c>/<c>user</c> are accepted as aliases).</item>
/// </list>
/// Doppel's own parameters are <c>schema</c>, <c>plan</c> (<c>default</c> or <c>incidents</c>),
/// <c>create_tables</c> and <c>rebuild_foreign_keys</c> (<c>true</c>/<c>false</c>) and <c>key.&lt;table&gt;</c>
/// (comma-separated key columns);
/// every other parameter must be an Npgsql connection-string keyword (URI aliases: <c>sslmode</c>,
/// <c>application_name</c>, <c>connect_timeout</c>). Unknown parameters are errors, not ignored.
/// </remarks>
public sealed record PostgresSinkOptions
{
    /// <summary>Name of the environment variable read when no <c>--sink</c> value is given.</summary>
    public const string EnvironmentVariable = "DATABASE_URL";

    /// <summary>The Npgsql connection string, including any password: never print it.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Target schema; <see langword="null"/> means the plan's default (<c>public</c>, or <c>incidents</c> for the incidents plan).</summary>
    public string? Schema { get; init; }

    /// <summary>Load plan name: <c>default</c> (same-named tables, upsert on <see cref="Keys"/>) or <c>incidents</c> (<see cref="IncidentsLoadPlan"/>).</summary>
    public string Plan { get; init; } = DefaultLoadPlan.PlanName;

    /// <summary>Default plan only: create missing target tables (and the schema) from the run's table schemas.</summary>
    public bool CreateTables { get; init; } = true;

    /// <summary>Default plan only: natural-key columns per table name. A table without an entry is keyed on its first column.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Keys { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Drop the foreign keys of the target schema's tables before merging and re-add (re-validate) them
    /// after, in the same transaction. Replaces one trigger query per row and key with one join per key;
    /// off by default because the re-added keys lock the tables against readers until commit and
    /// re-validate rows loaded by earlier runs too.
    /// </summary>
    public bool RebuildForeignKeys { get; init; }

    /// <summary>The schema the plan loads into, after defaults.</summary>
    public string EffectiveSchema => Schema ?? (IsIncidentsPlan ? IncidentsLoadPlan.DefaultSchema : "public");

    private bool IsIncidentsPlan => string.Equals(Plan, IncidentsLoadPlan.PlanName, StringComparison.Ordinal);

    /// <summary>Creates the load plan named by <see cref="Plan"/>.</summary>
    public ILoadPlan CreatePlan() => IsIncidentsPlan ? new IncidentsLoadPlan() : new DefaultLoadPlan();

    /// <summary>host:port/database, without user or password; used in messages.</summary>
    public string Address
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(ConnectionString);
            var db = string.IsNullOrEmpty(b.Database) ? "(default database)" : b.Database;
            return string.Create(CultureInfo.InvariantCulture, $"{b.Host ?? "localhost"}:{b.Port}/{db}");
        }
    }

    /// <summary>A description without secrets, e.g. <c>postgres://app@db:5432/test?schema=incidents (plan incidents)</c>.</summary>
    public string Describe()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        var user = string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@";
        return $"postgres://{user}{Address}?schema={EffectiveSchema} (plan {Plan})";
    }

    /// <summary>
    /// Parses a <c>--sink</c> value (URI or keyword string). When <paramref name="sink"/> is empty or just
    /// <c>postgres</c>, the value of <c>DATABASE_URL</c> from <paramref name="environment"/> is used instead.
    /// </summary>
    /// <param name="sink">The <c>--sink</c> value, or <see langword="null"/>.</param>
    /// <param name="environment">Reads an environment variable (pass <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <exception cref="DoppelException">With <see cref="ExitCodes.UsageError"/> for a missing or malformed value.</exception>
    public static PostgresSinkOptions FromUri(string? sink, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var value = sink?.Trim();
        if (string.IsNullOrEmpty(value) || value is "postgres" or "postgresql")
        {
            value = environment(EnvironmentVariable)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                throw Usage("No PostgreSQL destination: pass --sink postgres://user:pass@host:port/db or set DATABASE_URL");
            }
        }

        return value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? ParseUri(value)
            : ParseKeywords(value);
    }

    private static PostgresSinkOptions ParseUri(string uri)
    {
        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Decode(rest[(slash + 1)..]) : "";

        var b = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            b.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0)
            {
                b.Password = Decode(userInfo[(colon + 1)..]);
            }
        }

        SetHostAndPort(b, authority, uri);
        if (database.Length > 0)
        {
            b.Database = database;
        }

        var extras = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq >= 0 ? pair[..eq] : pair);
            var val = eq >= 0 ? Decode(pair[(eq + 1)..]) : "";
            extras.Add(new(key, val));
        }

        return Build(b, extras, "URI");
    }

    private static void SetHostAndPort(NpgsqlConnectionStringBuilder b, string authority, string uri)
    {
        if (authority.Length == 0)
        {
            b.Host = "localhost";
            return;
        }

        if (authority.Contains(',', StringComparison.Ordinal))
        {
            // Several hosts (failover): Npgsql takes them as "h1:p1,h2:p2" in Host.
            b.Host = authority;
            return;
        }

        string host = authority, port = "";
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Usage($"Malformed IPv6 host in --sink {Redact(uri)}: missing ']'");
            }

            host = authority[1..close];
            port = authority[(close + 1)..].TrimStart(':');
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                host = authority[..colon];
                port = authority[(colon + 1)..];
            }
        }

        b.Host = host.Length == 0 ? "localhost" : Decode(host);
        if (port.Length > 0)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                throw Usage($"Invalid port '{port}' in --sink {Redact(uri)}: expected 1-65535");
            }

            b.Port = p;
        }
    }

    private static PostgresSinkOptions ParseKeywords(string keywords)
    {
        if (!keywords.Contains('=', StringComparison.Ordinal))
        {
            throw Usage($"Unrecognised PostgreSQL destination '{keywords}': expected postgres://user:pass@host:port/db or Host=...;Database=...");
        }

        var parsed = new DbConnectionStringBuilder();
        try
        {
            parsed.ConnectionString = keywords;
        }
        catch (ArgumentException ex)
        {
            throw Usage($"Malformed PostgreSQL connection string: {ex.Message}");
        }

        var extras = new List<KeyValuePair<string, string>>();
        foreach (string key in parsed.Keys)
        {
            extras.Add(new(key, Convert.ToString(parsed[key], CultureInfo.InvariantCulture) ?? ""));
        }

        return Build(new NpgsqlConnectionStringBuilder(), extras, "connection string");
    }

    private static readonly string[] OwnParameters = ["schema", "plan", "create_tables", "rebuild_foreign_keys", "key.<table>"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["dbname"] = "Database",
        ["user"] = "Username",
    };

    private static PostgresSinkOptions Build(NpgsqlConnectionStringBuilder b, List<KeyValuePair<string, string>> parameters, string where)
    {
        string? schema = null;
        var plan = DefaultLoadPlan.PlanName;
        var createTables = true;
        var rebuildForeignKeys = false;
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        foreach (var (rawKey, value) in parameters)
        {
            var key = rawKey.Trim();
            var lower = key.ToLowerInvariant();
            if (lower == "schema")
            {
                schema = RequireValue(key, value.Trim());
            }
            else if (lower == "plan")
            {
                plan = value.Trim().ToLowerInvariant();
                if (plan is not (DefaultLoadPlan.PlanName or IncidentsLoadPlan.PlanName))
                {
                    throw Usage($"Unknown load plan '{value}' in the PostgreSQL {where}: expected '{DefaultLoadPlan.PlanName}' or '{IncidentsLoadPlan.PlanName}'");
                }
            }
            else if (lower is "create_tables" or "createtables" or "create tables")
            {
                createTables = Flag("create_tables", value, where);
            }
            else if (lower is "rebuild_foreign_keys" or "rebuildforeignkeys" or "rebuild foreign keys")
            {
                rebuildForeignKeys = Flag("rebuild_foreign_keys", value, where);
            }
            else if (lower.StartsWith("key.", StringComparison.Ordinal))
            {
                var table = key[4..];
                var columns = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (table.Length == 0 || columns.Length == 0)
                {
                    throw Usage($"Invalid key parameter '{key}={value}' in the PostgreSQL {where}: expected key.<table>=<column>[,<column>...]");
                }

                keys[table] = columns;
            }
            else
            {
                var npgsqlKey = Aliases.TryGetValue(key, out var alias) ? alias : key;
                try
                {
                    b[npgsqlKey] = value;
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
                {
                    throw Usage(UnknownParameterMessage(key, where, ex));
                }
            }
        }

        // Defaults chosen for bulk loading: merges of millions of rows run longer than Npgsql's 30 s
        // command timeout, and server error details (the offending key values) make failures actionable.
        if (!parameters.Exists(p => p.Key.Trim().Equals("Command Timeout", StringComparison.OrdinalIgnoreCase) || p.Key.Trim().Equals("CommandTimeout", StringComparison.OrdinalIgnoreCase)))
        {
            b.CommandTimeout = 0;
        }

        b.IncludeErrorDetail = true;
        if (string.IsNullOrEmpty(b.ApplicationName))
        {
            b.ApplicationName = "doppel";
        }

        b.Host ??= "localhost";

        return new PostgresSinkOptions
        {
            ConnectionString = b.ConnectionString,
            Schema = schema,
            Plan = plan,
            CreateTables = createTables,
            RebuildForeignKeys = rebuildForeignKeys,
            Keys = keys,
        };
    }

    private static bool Flag(string name, string value, string where) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw Usage($"Invalid {name} '{value}' in the PostgreSQL {where}: expected true or false"),
    };

    private static string UnknownParameterMessage(string key, string where, Exception ex)
    {
        var known = new NpgsqlConnectionStringBuilder();
        var isKnown = known.ContainsKey(key) || Aliases.ContainsKey(key);
        if (isKnown)
        {
            return $"Invalid value for '{key}' in the PostgreSQL {where}: {FirstLine(ex.Message)}";
        }

        var candidates = OwnParameters.Concat(Aliases.Keys).Concat(["host", "port", "username", "password", "database", "timeout", "ssl mode", "command timeout"]);
        var suggestion = Suggest(key, candidates);
        var hint = suggestion is null ? "" : $" (did you mean '{suggestion}'?)";
        return $"Unknown parameter '{key}' in the PostgreSQL {where}{hint}; Doppel parameters are {string.Join(", ", OwnParameters)}, others must be Npgsql connection-string keywords";
    }

    /// <summary>The closest candidate by edit distance, when it is close enough to be a likely typo.</summary>
    internal static string? Suggest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Levenshtein(input.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return bestDistance <= Math.Max(1, input.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }

    private static string RequireValue(string key, string value) =>
        value.Length > 0 ? value : throw Usage($"Parameter '{key}' of the PostgreSQL destination needs a value");

    private static string Decode(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s);
        }
        catch (UriFormatException)
        {
            return s;
        }
    }

    /// <summary>The URI with any password replaced by <c>***</c>, for error messages.</summary>
    internal static string Redact(string uri)
    {
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        var at = uri.LastIndexOf('@');
        if (scheme < 0 || at < 0)
        {
            return uri;
        }

        var colon = uri.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? new StringBuilder(uri).Remove(colon + 1, at - colon - 1).Insert(colon + 1, "***").ToString() : uri;
    }

    private static string FirstLine(string s)
    {
        var nl = s.IndexOfAny(['\r', '\n']);
        return nl >= 0 ? s[..nl] : s;
    }

    private static DoppelException Usage(string message) => new(message, ExitCodes.UsageError);
}
