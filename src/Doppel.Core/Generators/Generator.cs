using Doppel.Data;
using Doppel.Execution;
using Doppel.Execution.Columnar;
using Doppel.Seeding;

namespace Doppel.Generators;

/// <summary>
/// Produces one column's value for a row. Randomness comes only from <see cref="EvalFrame.Rng"/>, the
/// cell's own stream, so a generator is a pure function of (seed, table, column, row).
/// </summary>
public abstract class Generator
{
    public abstract DataType Type { get; }

    public abstract Value Generate(EvalFrame frame);

    /// <summary>True when distinct rows always get distinct values (sequences, keyed permutations).</summary>
    public virtual bool UniqueByConstruction => false;

    /// <summary>Fault kinds this generator can inject besides the generic ones (see <see cref="InvalidValues"/>).</summary>
    public virtual IReadOnlyList<string> InvalidKinds => InvalidValues.GenericKinds(Type);

    /// <summary>Turns a valid value into an invalid one of the named kind.</summary>
    public virtual Value MakeInvalid(string kind, Value valid, ref Rng rng, EvalFrame frame) => InvalidValues.Apply(kind, valid, ref rng, frame, this);

    /// <summary>Contracts this generator guarantees, checked by <c>doppel validate</c> (ranges, check digits, references, windows).</summary>
    public virtual IEnumerable<Planning.ContractRule> ImpliedContracts => [];

    /// <summary>
    /// The column-at-a-time form of this generator for <paramref name="column"/>, or null when it has none.
    /// It must store exactly what <see cref="Generate"/> returns for every row.
    /// </summary>
    public virtual ColumnKernel? CreateKernel(Planning.ColumnPlan column) => null;

    /// <summary>Range bounds, used by the generic <c>out_of_range</c> fault.</summary>
    public virtual (double Min, double Max)? Range => null;
}

/// <summary>Describes one option of a generator for docs and "did you mean".</summary>
public sealed record OptionSpec(string Name, string Description, string? Default = null);

/// <summary>Creates generators of one kind (<c>gen: name</c>) from their options.</summary>
public interface IGeneratorFactory
{
    string Name { get; }

    string Summary { get; }

    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Builds the generator, reporting bad options through <paramref name="context"/>; may return null after reporting.</summary>
    Generator? Create(GeneratorContext context);
}

/// <summary>A factory from a lambda, for the built-ins and packs.</summary>
public sealed class GeneratorFactory(string name, string summary, IReadOnlyList<OptionSpec> options, Func<GeneratorContext, Generator?> create) : IGeneratorFactory
{
    public string Name => name;

    public string Summary => summary;

    public IReadOnlyList<OptionSpec> Options => options;

    public Generator? Create(GeneratorContext context) => create(context);
}

/// <summary>Generator kinds by name. Packs add their own with <see cref="Add"/>.</summary>
public sealed class GeneratorRegistry
{
    private readonly Dictionary<string, IGeneratorFactory> _factories = new(StringComparer.Ordinal);

    public static GeneratorRegistry CreateDefault()
    {
        var r = new GeneratorRegistry();
        BuiltInGenerators.Register(r);
        return r;
    }

    public GeneratorRegistry Add(IGeneratorFactory factory)
    {
        _factories[factory.Name] = factory;
        return this;
    }

    public bool TryGet(string name, out IGeneratorFactory factory) => _factories.TryGetValue(name, out factory!);

    public IEnumerable<IGeneratorFactory> All => _factories.Values.OrderBy(f => f.Name, StringComparer.Ordinal);
}
