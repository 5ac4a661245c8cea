using System.Globalization;
using Microsoft.ML;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;

namespace MlNetRnn.Transforms.Tests;

[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class FreshProcessLoadTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-fresh-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void SavedModel_LoadsWithPlainModelLoadInANewProcess_AndScoresTheSameNumbers()
    {
        var ml = new MLContext(seed: 1);
        var sequences = TestData.RandomSequences(30, vocab: 12, seed: 31);
        var data = TestData.Load(ml, sequences);
        var onnx = Path.Combine(directory, "model.onnx");
        File.WriteAllBytes(onnx, TestModels.MlNetRnn(TestModels.Task.SequenceClassification, labels: ["x", "y", "z"]));
        using var transformer = ml.Transforms.ScoreRnn(onnx).Fit(data);
        var expected = TestData.Vectors<float>(transformer.Transform(data), "Score");
        string zip = Path.Combine(directory, "model.zip"), output = Path.Combine(directory, "scores.txt");
        ml.Model.Save(transformer, data.Schema, zip);
        File.Delete(onnx);

        string testAssembly = typeof(FreshProcessLoadTests).Assembly.Location;
        var child = ChildProcess.RunDotnet(directory, TimeSpan.FromMinutes(2), testAssembly, "load-check", zip, output, "30", "31", "12");
        Assert.True(child.ExitCode == 0, child.ToString());
        Assert.Contains("library not loaded before Model.Load", child.Output);

        var actual = File.ReadAllLines(output).Select(l => l.Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            TestData.AssertClose(expected[i], actual[i], 1e-6f, $"row {i}");
    }
}
