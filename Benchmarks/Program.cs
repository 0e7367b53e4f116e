using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --filter '*'   (see docs/benchmarks.md)
BenchmarkSwitcher.FromAssembly(typeof(OrleansChat.Benchmarks.SampleFrames).Assembly).Run(args);
