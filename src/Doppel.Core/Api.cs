using Doppel.Data;
using Doppel.Execution;
using Doppel.Generators;
using Doppel.Packs;
using Doppel.Planning;
using Doppel.Recipes;

namespace Doppel;

/// <summary>
/// The in-process entry point: load a recipe or pack, override parameters, then stream typed rows or
/// write files. Immutable: every <c>With…</c> returns a new instance.
/// </summary>
/// <example>
/// <code>
/// var people = DoppelRecipe.FromPack("person").WithParam("rows", "100").WithSeed(7);
/// foreach (var row in people.Rows("person")) { Console.WriteLine(row["nhs_number"]); }
/// </code>
/// </example>
public sealed record DoppelRecipe
{
    private DoppelRecipe(RecipeDocument document, GeneratorRegistry registry, string? baseDirectory)
    {
        Document = document;
        Registry = registry;
        BaseDirectory = baseDirectory;
    }

    public RecipeDocument Document { get; }

    public GeneratorRegistry Registry { get; }

    public string? BaseDirectory { get; }

    public ulong? Seed { get; init; }

    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, long> RowCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>Loads a recipe file; relative paths inside it resolve against its folder.</summary>
    public static DoppelRecipe Load(string path)
    {
        var doc = RecipeParser.ParseFile(path);
        return new(doc, RegistryFor(doc), Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses recipe YAML held in memory; <paramref name="name"/> names it in error messages.</summary>
    public static DoppelRecipe Parse(string yaml, string name = "recipe.yaml")
    {
        var doc = RecipeParser.Parse(yaml, name);
        return new(doc, RegistryFor(doc), null);
    }

    /// <summary>A recipe copied with <c>doppel init PACK</c> keeps the pack's <c>name</c>, and with it the pack's generators.</summary>
    private static GeneratorRegistry RegistryFor(RecipeDocument doc) =>
        doc.Name is { } name && PackCatalog.Find(name) is { } pack ? pack.Registry() : GeneratorRegistry.CreateDefault();

    /// <summary>A built-in pack by name (see <c>doppel packs</c>).</summary>
    public static DoppelRecipe FromPack(string pack)
    {
        var p = PackCatalog.Find(pack) ?? throw new DoppelException($"There is no pack '{pack}'; {Diagnostics.Suggest.DidYouMean(pack, PackCatalog.All.Select(x => x.Name))}", ExitCodes.UsageError);
        return new(RecipeParser.Parse(p.RecipeText(), p.RecipeFileName), p.Registry(), null);
    }

    public DoppelRecipe WithParam(string name, string value) => this with { Params = new Dictionary<string, string>(Params, StringComparer.Ordinal) { [name] = value } };

    public DoppelRecipe WithSeed(ulong seed) => this with { Seed = seed };

    public DoppelRecipe WithRows(string table, long rows) => this with { RowCounts = new Dictionary<string, long>(RowCounts, StringComparer.Ordinal) { [table] = rows } };

    /// <summary>Compiles the recipe with the current overrides (throws <see cref="Diagnostics.RecipeException"/> listing every problem).</summary>
    public GenerationPlan Plan(IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyDictionary<string, string>? config = null) => Planner.Plan(Document, new PlanOptions
    {
        Set = Params,
        Rows = RowCounts,
        Seed = Seed,
        Registry = Registry,
        BaseDirectory = BaseDirectory,
        Environment = environment ?? new Dictionary<string, string?>(),
        Config = config ?? new Dictionary<string, string>(),
    });

    /// <summary>Streams a table's rows as column → value dictionaries (long, double, bool, DateOnly, DateTime UTC, string or null), in row order, in bounded memory.</summary>
    public IEnumerable<IReadOnlyDictionary<string, object?>> Rows(string table, long? limit = null)
    {
        foreach (var batch in Batches(table, limit))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                var row = new Dictionary<string, object?>(batch.Columns.Length, StringComparer.Ordinal);
                foreach (var c in batch.Columns)
                {
                    row[c.Name] = c.IsNull(r) ? null : c.Type switch
                    {
                        DataType.Int => c.Int64[r],
                        DataType.Float => c.Float64[r],
                        DataType.Bool => c.Int64[r] != 0,
                        DataType.Date => DataTypes.FromDays(c.Int64[r]),
                        DataType.Timestamp => DataTypes.FromMicros(c.Int64[r]),
                        _ => c.GetString(r),
                    };
                }

                yield return row;
            }
        }
    }

    /// <summary>Streams a table as columnar batches (reused between iterations: copy what you keep).</summary>
    public IEnumerable<RowBatch> Batches(string table, long? limit = null)
    {
        var plan = Plan();
        var target = plan.Table(table);
        var root = target.Root;
        var rows = root.RootRows ?? 0;
        var end = target == root && limit is { } l ? Math.Min(rows, l) : rows;
        var family = new FamilyGenerator(root, 0, end, 1024);
        family.Count(1, CancellationToken.None);
        var index = family.Tables.ToList().IndexOf(target);
        var emit = family.Tables.Select((_, i) => i == index).ToArray();
        var worker = new Worker();
        long produced = 0;
        for (long u = 0; u < family.UnitCount; u++)
        {
            var output = family.Generate(u, worker, emit);
            foreach (var batch in output.Batches[index])
            {
                if (limit is { } max && produced + batch.Count > max)
                {
                    batch.Count = (int)(max - produced);
                }

                produced += batch.Count;
                yield return batch;
                if (limit is { } m && produced >= m)
                {
                    yield break;
                }
            }

            family.Recycle(output);
        }
    }

    /// <summary>Writes every table to files (see <see cref="RunOptions"/>).</summary>
    public RunResult WriteTo(string directory, RunOptions? options = null, CancellationToken cancel = default) =>
        Runner.Run(Plan(), (options ?? new RunOptions()) with { OutputDirectory = directory }, cancel);
}
