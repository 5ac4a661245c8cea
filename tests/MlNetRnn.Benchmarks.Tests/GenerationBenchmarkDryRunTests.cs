using Xunit;

namespace MlNetRnn.Benchmarks.Tests;

/// <summary>Runs the <c>generate</c> suite once on a tiny package so it cannot rot; its setup checks that both paths generate the same outputs.</summary>
[Collection(TorchCollection.Name)]
public sealed class GenerationBenchmarkDryRunTests
{
    [Fact]
    public void GenerateSuite_RunsInDryMode_ChecksBothPaths_AndPrintsTheTable()
    {
        var console = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        int exitCode;
        try
        {
            exitCode = BenchmarkProgram.Run(["generate", "--dry"]);
        }
        finally
        {
            Console.SetOut(console);
        }

        string text = captured.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("CPU: ", text);
        Assert.Contains("| one row at a time | 1 |", text);
        Assert.Contains("| batched, 64 rows | 2 |", text);
        Assert.Contains("| batched, 64 rows, 2 batches at a time | 1 |", text);
    }
}
