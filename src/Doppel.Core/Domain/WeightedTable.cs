using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>Strings with relative weights and an alias sampler over them; loaded once from an embedded table.</summary>
internal sealed class WeightedTable
{
    public WeightedTable(string[] values, double[] weights)
    {
        Values = values;
        Weights = weights;
        Sampler = new WeightedSampler(weights);
    }

    public string[] Values { get; }

    public double[] Weights { get; }

    public WeightedSampler Sampler { get; }

    public string Sample(ref Rng rng) => Values[Sampler.Sample(ref rng)];

    /// <summary><see cref="Values"/> encoded as UTF-8 once, for kernels that store bytes directly.</summary>
    public Data.Utf8StringTable Utf8Values => _utf8 ??= new Data.Utf8StringTable(Values);

    private Data.Utf8StringTable? _utf8;

    /// <summary>Reads <c>value, weight</c> rows (the value in column <paramref name="valueColumn"/>, the weight in the last column).</summary>
    public static WeightedTable Load(string fileName, Func<string[], bool>? filter = null, int valueColumn = 0)
    {
        var values = new List<string>();
        var weights = new List<double>();
        foreach (var row in EmbeddedData.ReadTable(fileName, valueColumn + 2))
        {
            if (filter is not null && !filter(row))
            {
                continue;
            }

            values.Add(row[valueColumn]);
            weights.Add(EmbeddedData.ParseWeight(row[^1], fileName));
        }

        return new WeightedTable([.. values], [.. weights]);
    }

    /// <summary>Two tables as one, each keeping half the total weight (e.g. female and male names for <see cref="Sex.Any"/>).</summary>
    public static WeightedTable Merge(WeightedTable a, WeightedTable b)
    {
        var sumA = a.Weights.Sum();
        var sumB = b.Weights.Sum();
        var values = a.Values.Concat(b.Values).ToArray();
        var weights = a.Weights.Select(w => w / sumA).Concat(b.Weights.Select(w => w / sumB)).ToArray();
        return new WeightedTable(values, weights);
    }

    public IReadOnlyList<(string Value, double Weight)> Entries() => Values.Zip(Weights).ToArray();
}
