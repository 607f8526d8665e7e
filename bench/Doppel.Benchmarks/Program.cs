using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Doppel.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Doppel.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
