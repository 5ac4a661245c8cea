using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MlNetRnn.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/MlNetRnn.Benchmarks -- [scoring|training|memory|all] [--dry]
return BenchmarkProgram.Run(args);

/// <summary>Entry point of the benchmark executable; also called by a test in dry mode.</summary>
public static class BenchmarkProgram
{
    /// <summary>Runs the selected suites and prints the derived table (tokens/s, ratios, GFLOP/s).</summary>
    public static int Run(string[] args)
    {
        BenchmarkSettings.Dry = args.Contains("--dry");
        string suite = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";

        var job = BenchmarkSettings.Dry
            ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance)
            : Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1);
        var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);

        var report = new ResultsReport();
        if (suite is "scoring" or "all")
        {
            report.Sgemm = BenchmarkRunner.Run<SgemmBenchmark>(config);
            report.Scoring = BenchmarkRunner.Run<ScoringBenchmarks>(config);
        }
        if (suite is "training" or "all")
            report.Training = BenchmarkRunner.Run<LmTrainingBenchmarks>(config);
        if (suite == "tune")
            ScoringTuning.Run();
        if (suite is "memory" or "all")
            report.Memory = ScoringMemory.Measure();

        Console.WriteLine(report.ToMarkdown());
        return 0;
    }
}
