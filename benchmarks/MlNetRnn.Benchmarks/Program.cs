using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MlNetRnn.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/MlNetRnn.Benchmarks -- [scoring|training|memory|tune|all|generate [--package PATH]] [--dry]
return BenchmarkProgram.Run(args);

/// <summary>Entry point of the benchmark executable; also called by a test in dry mode.</summary>
public static class BenchmarkProgram
{
    /// <summary>Runs the selected suites and prints the derived tables (tokens/s, ratios, GFLOP/s, memory).</summary>
    /// <exception cref="InvalidOperationException">A benchmark failed (for scoring: the paths disagree), so no table would be true.</exception>
    public static int Run(string[] args)
    {
        BenchmarkSettings.Dry = args.Contains("--dry");
        string suite = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        if (suite == ScoringMemory.ChildMode)
            return ScoringMemory.RunInChild(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));

        // A scoring case's time includes its model's cross-path check (nine full passes): can exceed BenchmarkDotNet's default in-process timeout on a busy machine.
        var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(60), logOutput: true);
        var job = BenchmarkSettings.Dry
            ? Job.Dry.WithToolchain(toolchain)
            : Job.Default.WithToolchain(toolchain)
                .WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1);
        var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);

        var report = new ResultsReport();
        if (suite is "scoring" or "all")
        {
            report.MatMul = Succeeded(BenchmarkRunner.Run<OrtMatMulBenchmark>(config));
            try
            {
                report.Scoring = Succeeded(BenchmarkRunner.Run<ScoringBenchmarks>(config), ScoringBenchmarks.SetupErrors.Values);
            }
            finally
            {
                ScoringBenchmarks.DisposeShared();
            }
        }
        if (suite is "training" or "all")
            report.Training = Succeeded(BenchmarkRunner.Run<LmTrainingBenchmarks>(config));
        if (suite == "tune")
            ScoringTuning.Run();
        if (suite == "generate")
        {
            Console.WriteLine(GenerationBenchmark.Run(args));
            return 0;
        }
        // Always in child processes: the figures of a process that ran benchmarks before would be its old peaks.
        if (suite is "memory" or "all")
            report.Memory = ScoringMemory.Measure();

        Console.WriteLine(report.ToMarkdown());
        return 0;
    }

    /// <summary>BenchmarkDotNet logs a failed setup or benchmark and carries on; a table built on it would be silently partial.</summary>
    private static Summary Succeeded(Summary summary, IEnumerable<string>? causes = null)
    {
        var failed = summary.Reports.Where(r => !r.Success || r.ResultStatistics is null)
            .Select(r => $"{r.BenchmarkCase.Descriptor.WorkloadMethod.Name} {r.BenchmarkCase.Parameters.DisplayInfo}").ToList();
        if (!summary.HasCriticalValidationErrors && failed.Count == 0 && summary.Reports.Length > 0)
            return summary;
        string what = failed.Count > 0
            ? $"{failed.Count} of {summary.Reports.Length} benchmarks failed ({string.Join(", ", failed)})"
            : "validation errors or no benchmarks ran";
        string why = causes?.Any() == true ? " " + string.Join(" ", causes) : " See the log above.";
        throw new InvalidOperationException($"{summary.Title}: {what}.{why}");
    }
}
