using Doppel.Data;
using Doppel.Execution;
using Doppel.Generators;
using Doppel.Recipes;
using Doppel.Seeding;

namespace Doppel.Planning;

/// <summary>
/// What will be generated: tables with resolved row counts, compiled columns and derived seeds.
/// Execution sees only the plan, never the YAML.
/// </summary>
public sealed class GenerationPlan
{
    public required RecipeDocument Recipe { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>Resolved parameters (defaults, file, environment and --set applied), as text.</summary>
    public required IReadOnlyDictionary<string, string> Params { get; init; }

    public required IReadOnlyList<TablePlan> Tables { get; init; }

    public required string RecipeSha256 { get; init; }

    public TablePlan Table(string name) => Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))
        ?? throw new DoppelException($"The recipe has no table '{name}'; tables: {string.Join(", ", Tables.Select(t => t.Name))}", ExitCodes.UsageError);

    /// <summary>Root tables in declaration order; each is generated with its descendants in one pass.</summary>
    public IEnumerable<TablePlan> Roots => Tables.Where(t => t.Parent is null);
}

/// <summary>How many child rows a parent row gets.</summary>
public sealed class CountPlan(string description, Func<EvalFrame, ulong, long> count, bool dependsOnParent)
{
    public string Description => description;

    /// <summary>Whether the count reads the parent's columns (then counting must compute parent rows).</summary>
    public bool DependsOnParent => dependsOnParent;

    /// <summary>The number of children of the parent row in <paramref name="parent"/>.</summary>
    public long Count(EvalFrame parent, ulong seed) => count(parent, seed);
}

/// <summary>One table of the plan.</summary>
public sealed class TablePlan
{
    internal TablePlan(string name, ulong seed)
    {
        Name = name;
        Seed = seed;
    }

    public string Name { get; }

    public ulong Seed { get; }

    public string? Description { get; internal set; }

    /// <summary>Rows of a root table; null for a child table (its size follows from its parents).</summary>
    public long? RootRows { get; internal set; }

    public TablePlan? Parent { get; internal set; }

    public List<TablePlan> Children { get; } = [];

    public CountPlan? PerParent { get; internal set; }

    public List<ColumnPlan> Columns { get; } = [];

    public TableSchema OutputSchema { get; internal set; } = new(string.Empty, []);

    /// <summary>For each output column, its index in <see cref="Columns"/>.</summary>
    public int[] OutputColumns { get; internal set; } = [];

    /// <summary>Output path template relative to the output root, without extension unless given; may use <c>{parent.col}</c> when <see cref="FilePerParent"/>.</summary>
    public string FileTemplate { get; internal set; } = string.Empty;

    public bool FilePerParent { get; internal set; }

    /// <summary>A built-in format name (<c>csv</c>, <c>jsonl</c>, <c>json</c>) this table is always written in, whatever the run's format; null = the run's format.</summary>
    public string? Format { get; internal set; }

    /// <summary>Checksum sidecar path template (<c>{file}</c> = the data file's name, <c>{path}</c> = its relative path).</summary>
    public string? ChecksumTemplate { get; internal set; }

    public List<ContractRule> Contracts { get; } = [];

    /// <summary>The column-at-a-time form of this table (a root table without children or faults); null means the row path.</summary>
    internal Execution.Columnar.ColumnarTable? Columnar { get; set; }

    /// <summary>Why this table is generated row by row (e.g. "column x injects faults"); null when it is generated column by column.</summary>
    public string? RowPathReason { get; internal set; }

    public ColumnPlan Column(string name) => Columns.First(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public int IndexOf(string name) => Columns.FindIndex(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>Depth below the root (0 for a root table).</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    public TablePlan Root => Parent?.Root ?? this;

    public override string ToString() => Name;
}

/// <summary>A compiled column: its core generator or expression plus null and fault injection.</summary>
public sealed class ColumnPlan
{
    internal ColumnPlan(TablePlan table, string name, int index, ulong seed)
    {
        Table = table;
        Name = name;
        Index = index;
        Seed = seed;
        NullSeed = SeedTree.Combine(seed, "null");
        FaultSeed = SeedTree.Combine(seed, "fault");
    }

    public TablePlan Table { get; }

    public string Name { get; }

    public int Index { get; }

    public ulong Seed { get; }

    internal ulong NullSeed { get; }

    private ulong FaultSeed { get; }

    public DataType Type { get; internal set; }

    public bool Hidden { get; internal set; }

    public string? Description { get; internal set; }

    /// <summary>What produces the value: a generator name or the expression text (for describe and dry runs).</summary>
    public string Source { get; internal set; } = string.Empty;

    internal Evaluator Core { get; set; } = _ => default;

    public Generator? Generator { get; internal set; }

    public double NullRate { get; internal set; }

    internal Evaluator? NullWhen { get; set; }

    /// <summary>The generator's column-at-a-time form, when it has one (see <see cref="Execution.Columnar.ColumnKernel"/>).</summary>
    internal Execution.Columnar.ColumnKernel? Kernel { get; set; }

    public double FaultRate { get; internal set; }

    public IReadOnlyList<string> FaultKinds { get; internal set; } = [];

    /// <summary>Condition of <c>invalid.when</c>: only rows where it holds receive faults (null: every row is a candidate).</summary>
    internal Evaluator? FaultWhen { get; set; }

    /// <summary>For a reference column, the table whose rows it points at.</summary>
    public TablePlan? RefTarget { get; internal set; }

    public bool Nullable => NullRate > 0 || NullWhen is not null || FaultKinds.Contains(InvalidValues.Missing) || CoreNullable;

    internal bool CoreNullable { get; set; }

    /// <summary>Computes the cell value for the frame's row.</summary>
    public Value Compute(EvalFrame f)
    {
        if (NullWhen is not null && NullWhen(f) is { IsNull: false, Bool: true })
        {
            return Value.Null(Type);
        }

        if (NullRate > 0)
        {
            var nr = SeedTree.Cell(NullSeed, f.Row);
            if (nr.NextDouble() < NullRate)
            {
                return Value.Null(Type);
            }
        }

        f.Rng = SeedTree.Cell(Seed, f.Row);
        var v = Core(f);
        if (FaultRate > 0 && (FaultWhen is null || FaultWhen(f) is { IsNull: false, Bool: true }))
        {
            var fr = SeedTree.Cell(FaultSeed, f.Row);
            if (fr.NextDouble() < FaultRate)
            {
                var kind = FaultKinds[fr.NextInt(FaultKinds.Count)];
                v = Generator is not null ? Generator.MakeInvalid(kind, v, ref fr, f) : InvalidValues.Apply(kind, v, ref fr, f, NoGenerator.Instance);
                if (f.RecordFaults)
                {
                    f.Worker.RecordFault(Table.Name, f.Row, Name, kind, v);
                }
            }
        }

        return v.Type == Type || v.IsNull ? (v.IsNull && v.Type != Type ? Value.Null(Type) : v) : Coerce(v);
    }

    private Value Coerce(Value v) => (v.Type, Type) switch
    {
        (DataType.Int, DataType.Float) => Value.FromFloat(v.Int),
        (DataType.Float, DataType.Int) => Value.FromInt((long)Math.Round(v.Float)),
        _ => v.WithType(Type),
    };

    public override string ToString() => $"{Table.Name}.{Name}";

    private sealed class NoGenerator : Generator
    {
        public static readonly NoGenerator Instance = new();

        public override DataType Type => DataType.String;

        public override Value Generate(EvalFrame frame) => default;
    }
}
