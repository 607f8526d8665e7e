using BenchmarkDotNet.Attributes;
using Doppel.Data;
using Doppel.Domain;
using Doppel.Execution;
using Doppel.Formats;
using Doppel.Seeding;

namespace Doppel.Benchmarks;

/// <summary>Hot domain generators, per 1,000 values (the baseline is the bare random stream).</summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private readonly char[] _buffer = new char[128];

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public ulong RngNext()
    {
        var rng = new Rng(42);
        ulong x = 0;
        for (var i = 0; i < 1000; i++)
        {
            x ^= rng.NextULong();
        }

        return x;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int NhsNumberValid()
    {
        var rng = new Rng(42);
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += NhsNumber.WriteRandomValid(ref rng, _buffer);
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int NhsNumberUnique()
    {
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += NhsNumber.WriteUnique(i, 42, _buffer);
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Postcode()
    {
        var rng = new Rng(42);
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += UkPostcode.WriteRandom(ref rng, _buffer);
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int FirstName()
    {
        var rng = new Rng(42);
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += PersonNames.FirstName(ref rng, Sex.Any).Length;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int NhsNumberValidUtf8()
    {
        var rng = new Rng(42);
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += NhsNumber.WriteRandomValidTest999(ref rng, _bytes);
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int PostcodeUtf8()
    {
        var rng = new Rng(42);
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += UkPostcode.WriteRandomUtf8(ref rng, _bytes);
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int EmailUtf8()
    {
        var rng = new Rng(42);
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += Domain.Email.WriteUtf8(_jane, 4, _obrien, 7, ref rng, _bytes);
        }

        return n;
    }

    private readonly byte[] _bytes = new byte[128];
    private readonly byte[] _jane = "Jane............"u8.ToArray();
    private readonly byte[] _obrien = "O'Brien........."u8.ToArray();

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Email()
    {
        var rng = new Rng(42);
        var n = 0;
        for (var i = 0; i < 1000; i++)
        {
            n += Domain.Email.Write("Jane", "O'Brien", ref rng, _buffer);
        }

        return n;
    }
}

/// <summary>Formatting one 4,096-row person batch to a null stream, per format.</summary>
[MemoryDiagnoser]
public class FormatBenchmarks
{
    private RowBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _batch = DoppelRecipe.FromPack("person").WithRows("person", 4096).Batches("person").First();
    }

    [Benchmark(Baseline = true)]
    public long Csv() => Write(TableFormats.BuiltIn["csv"]);

    [Benchmark]
    public long JsonLines() => Write(TableFormats.BuiltIn["jsonl"]);

    private long Write(ITableFormat format)
    {
        using var w = format.Open(Stream.Null, _batch.Schema, FilePart.Whole);
        w.Write(_batch);
        return w.Complete().Bytes;
    }
}

/// <summary>
/// The person recipe end to end in-process, 200,000 rows: generation alone (null format) on the row path (the
/// baseline: one frame and <see cref="Value"/> per cell) and on the columnar path, and columnar generation to CSV.
/// </summary>
[MemoryDiagnoser]
public class PersonBenchmarks
{
    private string _dir = string.Empty;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("doppel-bench").FullName;

    [Benchmark(Baseline = true)]
    public long GenerateOnlyRowPath() => Run("null", columnar: false);

    [Benchmark]
    public long GenerateOnly() => Run("null", columnar: true);

    [Benchmark]
    public long GenerateCsv() => Run("csv", columnar: true);

    private long Run(string format, bool columnar) => DoppelRecipe.FromPack("person").WithRows("person", 200_000)
        .WriteTo(_dir, new RunOptions { Format = TableFormats.BuiltIn[format], Threads = Threads, WriteManifest = false, Columnar = columnar })
        .Tables[0].Rows;
}
