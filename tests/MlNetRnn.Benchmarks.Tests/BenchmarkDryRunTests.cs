using Xunit;

namespace MlNetRnn.Benchmarks.Tests;

/// <summary>Runs every benchmark once on tiny sizes so the benchmark project cannot rot unnoticed. Measures nothing.</summary>
[Collection(TorchCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BenchmarkDryRunTests
{
    [Fact]
    public void AllSuites_RunInDryMode_AndPrintTheResultsTable()
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
        Assert.Contains("| Lstm256 | MlNetRnnTransformer |", text);
        Assert.Contains("| Gru64 | StockApplyOnnxModel |", text);
        Assert.Contains("| MlNetRnn LanguageModelTrainer |", text);
        Assert.Contains("Peak working set", text);
    }
}
