using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(E2EDeploy.Inference.Benchmarks.BenchmarkModels).Assembly).Run(args);
