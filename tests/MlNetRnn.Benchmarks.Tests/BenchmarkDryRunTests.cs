using Xunit;

namespace MlNetRnn.Benchmarks.Tests;

/// <summary>
/// Runs every benchmark once on tiny sizes so the benchmark project cannot rot unnoticed. Measures nothing, but the scoring
/// setup runs the cross-path check, so a path that scores differently from the others fails this test.
/// </summary>
[Collection(TorchCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BenchmarkDryRunTests
{
    [Fact]
    public void AllSuites_RunInDryMode_CheckEveryPath_AndPrintTheResultsTables()
    {
        var console = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        int exitCode;
        try
        {
            exitCode = BenchmarkProgram.Run(["all", "--dry"]);
        }
        finally
        {
            Console.SetOut(console);
        }

        string text = captured.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("CPU: ", text);
        Assert.Contains("% of ORT MatMul 256³, 2 threads", text);
        foreach (var kind in Enum.GetValues<ReferenceModelKind>())
            foreach (var path in Enum.GetValues<ScoringPath>())
                foreach (int threads in ScoringPaths.ThreadSettings)
                    Assert.Contains($"| {kind} | {path} | {ScoringPaths.ThreadsLabel(path, threads)} |", text);
        // Every row of the scoring table carries its checked difference, none missing.
        Assert.Equal(Enum.GetValues<ReferenceModelKind>().Length, ScoringBenchmarks.Agreement.Count);
        Assert.All(ScoringBenchmarks.Agreement.Values.SelectMany(a => a.Values), d => Assert.InRange(d, 0, ScoringPaths.Tolerance));
        Assert.Contains("| MlNetRnn LanguageModelTrainer | torch 2 threads |", text);
        Assert.Contains("| 640 |", text);
    }
}
