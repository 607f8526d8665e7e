using System.Reflection;
using System.Text;
using Doppel.Data;
using Npgsql;

namespace Doppel.Sinks.PostgreSql.Incidents;

/// <summary>A lookup code: <paramref name="Kind"/> is type, severity, status, source or weather.</summary>
public sealed record LookupRow(string Kind, string Code, string Label);

/// <summary>
/// Loads generated fire/EMS incidents into the PostGIS schema of <c>Incidents/schema.sql</c>: lookup
/// tables, stations, incidents and the incident children. Generated tables carry codes; the targets carry
/// surrogate ids, resolved by set-based joins in <c>Incidents/load.sql</c>.
/// </summary>
/// <remarks>
/// <para>Run tables must be a subset of <see cref="StagingSchemas"/> (unit, asset and note tables are
/// optional), each with exactly the listed columns; a column may also arrive as text, which is cast. The
/// plan creates the PostGIS extension if it is missing and the schema, tables and indexes if they are
/// missing, then upserts the lookup codes (from <see cref="DefaultLookups"/> unless others are given).</para>
/// <para>Before each merge a check query fails the load, naming the code, if any non-null code or station
/// does not resolve or a WKT is not <c>POINT(lng lat)</c> agreeing with the lat/lng columns.</para>
/// </remarks>
public sealed class IncidentsLoadPlan : ILoadPlan
{
    /// <summary>The <c>plan=</c> value that selects this plan.</summary>
    public const string PlanName = "incidents";

    /// <summary>The schema loaded when none is configured.</summary>
    public const string DefaultSchema = "incidents";

    /// <summary>Lookup kinds and the table each fills.</summary>
    public static readonly IReadOnlyDictionary<string, string> LookupTables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["type"] = "incident_types",
        ["severity"] = "incident_severities",
        ["status"] = "incident_statuses",
        ["source"] = "incident_sources",
        ["weather"] = "weather_conditions",
    };

    private const string LookupStaging = "stage_lookups";
    private static readonly string[] MergeOrder = ["stations", "incidents", "incident_units", "incident_assets", "incident_notes"];
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sections = new(() => ParseSections(LoadSql));

    private readonly IReadOnlyList<LookupRow> _lookups;

    /// <summary>Creates the plan.</summary>
    /// <param name="lookups">Lookup codes to upsert; <see langword="null"/> uses the embedded lookups.csv (the incidents pack's <c>Packs/Incidents/Data/lookups.csv</c>).</param>
    public IncidentsLoadPlan(IReadOnlyList<LookupRow>? lookups = null) => _lookups = lookups ?? DefaultLookups;

    public string Name => PlanName;

    /// <summary>The generated tables this plan loads and their columns (the source data set's file layout).</summary>
    public static IReadOnlyList<TableSchema> StagingSchemas { get; } =
    [
        Table("stations",
            S("station_code", false), S("name"), S("battalion"), S("address_line_1"), S("address_line_2"), S("city"),
            S("region"), S("postal_code"), S("phone"), C("is_active", DataType.Bool), C("commissioned_on", DataType.Date),
            C("decommissioned_on", DataType.Date), S("response_zone_code"), C("location_lat", DataType.Float),
            C("location_lng", DataType.Float), S("location_wkt"), C("coverage_radius_meters", DataType.Int),
            C("created_at", DataType.Timestamp), C("updated_at", DataType.Timestamp)),
        Table("incidents",
            S("incident_number", false), S("external_reference"), S("title"), S("narrative"), S("type_code", false),
            S("severity_code", false), S("status_code", false), S("source_code", false), S("weather_condition_code"),
            S("primary_station_code"), C("occurrence_at", DataType.Timestamp), C("reported_at", DataType.Timestamp),
            C("dispatch_at", DataType.Timestamp), C("arrival_at", DataType.Timestamp), C("resolved_at", DataType.Timestamp),
            C("location_lat", DataType.Float), C("location_lng", DataType.Float), S("location_wkt"), S("location_geohash"),
            S("address_line_1"), S("address_line_2"), S("city"), S("region"), S("postal_code"),
            C("casualty_count", DataType.Int), C("responder_injuries", DataType.Int), C("estimated_damage_amount", DataType.Float),
            C("is_active", DataType.Bool), C("metadata", DataType.Json)),
        Table("incident_units",
            S("incident_number", false), S("station_code", false), S("assignment_role", false),
            C("dispatched_at", DataType.Timestamp, false), C("cleared_at", DataType.Timestamp)),
        Table("incident_assets",
            S("incident_number", false), S("asset_identifier", false), S("asset_type"), S("status"), S("notes")),
        Table("incident_notes",
            S("incident_number", false), S("author", false), S("note", false), C("created_at", DataType.Timestamp, false)),
    ];

    /// <summary>The DDL (embedded <c>Incidents/schema.sql</c>), unqualified; run it with search_path set to the target schema.</summary>
    public static string SchemaSql => Resource("schema.sql");

    /// <summary>The load SQL (embedded <c>Incidents/load.sql</c>), split into <c>-- @kind name</c> sections.</summary>
    public static string LoadSql => Resource("load.sql");

    /// <summary>The embedded lookup codes (the incidents pack's <c>Packs/Incidents/Data/lookups.csv</c>, shared with the generator).</summary>
    public static IReadOnlyList<LookupRow> DefaultLookups { get; } = ReadLookups(new StringReader(Resource("lookups.csv")), "lookups.csv");

    /// <summary>
    /// Parses a lookup CSV with header <c>kind,code,label</c> (RFC 4180 quoting allowed). A fourth column
    /// <c>weight</c> (the incidents pack's relative frequency of a code) is accepted and ignored here.
    /// </summary>
    /// <exception cref="DoppelException">On a wrong header, an unknown kind, an empty code or a duplicate code.</exception>
    public static IReadOnlyList<LookupRow> ReadLookups(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<LookupRow>();
        var seen = new HashSet<(string, string)>();
        var header = reader.ReadLine()?.Trim().TrimStart('\uFEFF');
        var fieldCount = header switch
        {
            "kind,code,label" => 3,
            "kind,code,label,weight" => 4,
            _ => throw new DoppelException($"{source}:1: expected the header 'kind,code,label'", ExitCodes.UsageError),
        };

        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = SplitCsvLine(line);
            if (fields.Count != fieldCount)
            {
                throw new DoppelException($"{source}:{lineNumber}: expected {fieldCount} fields ({header}), found {fields.Count}", ExitCodes.UsageError);
            }

            var (kind, code, label) = (fields[0].Trim(), fields[1].Trim(), fields[2].Trim());
            if (!LookupTables.ContainsKey(kind))
            {
                throw new DoppelException($"{source}:{lineNumber}: unknown kind '{kind}'; expected one of {string.Join(", ", LookupTables.Keys)}", ExitCodes.UsageError);
            }

            if (code.Length == 0)
            {
                throw new DoppelException($"{source}:{lineNumber}: empty code", ExitCodes.UsageError);
            }

            if (!seen.Add((kind, code)))
            {
                throw new DoppelException($"{source}:{lineNumber}: duplicate {kind} code '{code}'", ExitCodes.UsageError);
            }

            rows.Add(new LookupRow(kind, code, label.Length == 0 ? code : label));
        }

        return rows;
    }

    public async ValueTask<IReadOnlyList<StagingTable>> PrepareAsync(LoadContext context, IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken)
    {
        CheckRunTables(tables);
        var postgisSchema = await EnsurePostgisAsync(context, cancellationToken).ConfigureAwait(false);
        await context.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS " + PgSql.Quote(context.Schema), cancellationToken).ConfigureAwait(false);

        // LOCAL: the search_path lasts exactly as long as the load's transaction.
        await context.ExecuteAsync($"SET LOCAL search_path TO {PgSql.Quote(context.Schema)}, {PgSql.Quote(postgisSchema)}", cancellationToken).ConfigureAwait(false);
        await context.ExecuteAsync(SchemaSql, cancellationToken).ConfigureAwait(false);

        var staging = new List<StagingTable>();
        foreach (var declared in StagingSchemas)
        {
            // Tables absent from the run still get an (empty) staging table, so load.sql needs no variants.
            var table = tables.FirstOrDefault(t => string.Equals(t.Name, declared.Name, StringComparison.Ordinal)) ?? declared;
            staging.Add(new StagingTable(declared.Name, "stage_" + declared.Name, [.. table.Columns.Select(c => new StagingColumn(c.Name, PgSql.TypeName(c.Type)))]));
        }

        staging.Add(new StagingTable("$lookups", LookupStaging, [new("kind", "text"), new("code", "text"), new("label", "text")]));
        return staging;
    }

    public async ValueTask MergeAsync(LoadContext context, CancellationToken cancellationToken)
    {
        await context.ExecuteAsync(
            $"INSERT INTO pg_temp.{LookupStaging} (kind, code, label) SELECT * FROM unnest(@k::text[], @c::text[], @l::text[])",
            cancellationToken,
            new NpgsqlParameter("k", _lookups.Select(l => l.Kind).ToArray()),
            new NpgsqlParameter("c", _lookups.Select(l => l.Code).ToArray()),
            new NpgsqlParameter("l", _lookups.Select(l => l.Label).ToArray())).ConfigureAwait(false);
        var lookupsWritten = await context.ExecuteStepAsync("upserting lookup codes", Section("step", "lookups"), null, cancellationToken).ConfigureAwait(false);
        context.Record($"{context.Schema}.(lookups)", _lookups.Count, lookupsWritten);

        foreach (var table in MergeOrder)
        {
            var staged = context.Staged(table);
            if (staged == 0)
            {
                continue;
            }

            await context.CheckAsync($"checking {table}", Section("check", table), cancellationToken).ConfigureAwait(false);
            if (Sections.Value.ContainsKey("check " + table + "_geometry"))
            {
                await context.CheckAsync($"checking {table} geometry", Section("check", table + "_geometry"), cancellationToken).ConfigureAwait(false);
            }

            var written = await context.ExecuteStepAsync(
                $"upserting {context.Schema}.{table}",
                Section("step", table),
                async ct => (await context.ColumnAsync(Section("dups", table), ct).ConfigureAwait(false)).FirstOrDefault(),
                cancellationToken).ConfigureAwait(false);
            context.Record($"{context.Schema}.{table}", staged, written);
        }
    }

    private static void CheckRunTables(IReadOnlyList<TableSchema> tables)
    {
        foreach (var table in tables)
        {
            var declared = StagingSchemas.FirstOrDefault(d => string.Equals(d.Name, table.Name, StringComparison.Ordinal));
            if (declared is null)
            {
                var hint = PostgresSinkOptions.Suggest(table.Name, StagingSchemas.Select(d => d.Name)) is { } s ? $" (did you mean '{s}'?)" : "";
                throw new DoppelException(
                    $"The incidents load plan does not know table '{table.Name}'{hint}; it loads {string.Join(", ", StagingSchemas.Select(d => d.Name))}",
                    ExitCodes.UsageError);
            }

            foreach (var column in table.Columns)
            {
                var expected = declared.Columns.FirstOrDefault(c => string.Equals(c.Name, column.Name, StringComparison.Ordinal));
                if (expected is null)
                {
                    throw new DoppelException($"The incidents load plan does not know column '{table.Name}.{column.Name}'", ExitCodes.UsageError);
                }

                if (column.Type != expected.Type && column.Type != DataType.String)
                {
                    throw new DoppelException(
                        $"Column '{table.Name}.{column.Name}' is {column.Type.Name()}; the incidents load plan expects {expected.Type.Name()} (or string)",
                        ExitCodes.UsageError);
                }
            }

            var missing = declared.Columns.Where(c => table.IndexOf(c.Name) < 0).Select(c => c.Name).ToList();
            if (missing.Count > 0)
            {
                throw new DoppelException($"Table '{table.Name}' lacks column(s) {string.Join(", ", missing)} that the incidents load plan needs", ExitCodes.UsageError);
            }
        }
    }

    /// <summary>Returns the schema holding PostGIS, creating the extension when it is missing and allowed.</summary>
    private static async ValueTask<string> EnsurePostgisAsync(LoadContext context, CancellationToken ct)
    {
        const string Find = "SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'";
        if (await context.ScalarAsync(Find, ct).ConfigureAwait(false) is string schema)
        {
            return schema;
        }

        await context.ExecuteAsync("SAVEPOINT doppel_postgis", ct).ConfigureAwait(false);
        try
        {
            await context.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public", ct).ConfigureAwait(false);
            await context.ExecuteAsync("RELEASE SAVEPOINT doppel_postgis", ct).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            await context.ExecuteAsync("ROLLBACK TO SAVEPOINT doppel_postgis", ct).ConfigureAwait(false);
            throw new DoppelException(
                $"PostGIS is not installed in database {context.Connection.Database} and could not be created ({PostgresErrors.Describe(ex)}); install PostGIS 3 and run CREATE EXTENSION postgis",
                ExitCodes.RuntimeError,
                ex);
        }

        return (string)(await context.ScalarAsync(Find, ct).ConfigureAwait(false))!;
    }

    private static string Section(string kind, string name) =>
        Sections.Value.TryGetValue(kind + " " + name, out var sql) ? sql : throw new InvalidOperationException($"Incidents/load.sql has no section '@{kind} {name}'.");

    /// <summary>Splits load.sql at lines <c>-- @kind name</c>; text before the first marker is a header.</summary>
    internal static IReadOnlyDictionary<string, string> ParseSections(string sql)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new StringBuilder();
        foreach (var line in sql.Split('\n'))
        {
            if (line.StartsWith("-- @", StringComparison.Ordinal))
            {
                Flush();
                current = line[4..].Trim();
                continue;
            }

            body.Append(line).Append('\n');
        }

        Flush();
        return sections;

        void Flush()
        {
            if (current is not null)
            {
                sections.Add(current, body.ToString().Trim());
            }

            body.Clear();
        }
    }

    private static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (ch != '\r')
            {
                field.Append(ch);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Doppel.Sinks.PostgreSql.Incidents." + name)
            ?? throw new InvalidOperationException($"Embedded resource Incidents/{name} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static TableSchema Table(string name, params ColumnSchema[] columns) => new(name, columns);

    private static ColumnSchema S(string name, bool nullable = true) => new(name, DataType.String, nullable);

    private static ColumnSchema C(string name, DataType type, bool nullable = true) => new(name, type, nullable);
}
