using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using Xunit;
using Xunit.Abstractions;

namespace MlNetRnn.Training.Tests.Export;

[Collection(TorchCollection.Name)]
public sealed class LayerStatesExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private static readonly OnnxExportOptions WithLayerStates = new() { IncludeLayerStates = true };

    /// <summary>Every cell × {1, 2} layers × {uni, bi} × head (language models are never bidirectional).</summary>
    public static TheoryData<RnnTask, RnnCellType, int, bool> Matrix() => Models.RnnSequenceModelTests.AllShapes();

    [Theory]
    [MemberData(nameof(Matrix))]
    public void LayerHiddenStates_OrtMatchesTorchSharpProbe(RnnTask task, RnnCellType cell, int layers, bool bidirectional)
    {
        using var model = ExportFixtures.Model(task, cell, layers, bidirectional);
        byte[] onnx = OnnxExporter.Export(model, WithLayerStates);
        var sequences = ExportFixtures.Sequences(count: 6, maxLength: 11, seed: layers * 10 + (bidirectional ? 1 : 0));
        int[][] withEmpty = [.. sequences.Take(3), [], .. sequences.Skip(3)];

        var report = OnnxParity.Verify(model, onnx, withEmpty);

        output.WriteLine($"{task} {cell} layers={layers} bi={bidirectional}: {report}");
        Assert.True(report.MaxAbsDifferenceByOutput.TryGetValue("layer_hidden_states", out double difference), report.ToString());
        Assert.True(difference <= Tolerance, report.ToString());
        Assert.True(report.MaxAbsDifferenceAnyOutput <= 1e-4, report.ToString());
    }

    [Fact]
    public void LayerHiddenStates_HasTheDocumentedShape_LastLayerEqualsHiddenStates_AndZeroPastLength()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Gru, 2, bidirectional: true);
        using var session = new InferenceSession(OnnxExporter.Export(model, WithLayerStates));
        long[] ids = [3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0];                    // rows of length 4, 2 and 0, padded to 4
        long[] lengths = [4, 2, 0];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [3, 4]);
        using var lengthsValue = OrtValue.CreateTensorValueFromMemory(lengths, [3]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input_ids", "lengths"], [idsValue, lengthsValue], ["layer_hidden_states", "hidden_states"]);

        int F = 2 * ExportFixtures.HiddenSize;
        Assert.Equal(new long[] { 3, 4, 2, F }, results[0].GetTensorTypeAndShape().Shape);
        var layerStates = results[0].GetTensorDataAsSpan<float>().ToArray();  // (B, T, L, F)
        var hidden = results[1].GetTensorDataAsSpan<float>().ToArray();       // (B, T, F)
        for (int b = 0; b < 3; b++)
        {
            for (int t = 0; t < 4; t++)
            {
                var first = layerStates.AsSpan((b * 4 + t) * 2 * F, F).ToArray();
                var last = layerStates.AsSpan(((b * 4 + t) * 2 + 1) * F, F).ToArray();
                Assert.Equal(hidden.AsSpan((b * 4 + t) * F, F).ToArray(), last);
                Assert.Equal(t < lengths[b], first.Any(v => v != 0));
                Assert.Equal(t < lengths[b], last.Any(v => v != 0));
            }
        }
    }

    [Theory]
    [InlineData(RnnTask.SequenceClassification, RnnCellType.Lstm, 2, true)]
    [InlineData(RnnTask.LanguageModel, RnnCellType.Gru, 1, false)]
    public void Export_WithoutTheOption_WritesTheGraphWithoutLayerStates_TheOptionOnlyAppends(RnnTask task, RnnCellType cell, int layers, bool bidirectional)
    {
        using var model = ExportFixtures.Model(task, cell, layers, bidirectional);

        var plain = OnnxExporter.BuildModel(model, null);
        var off = OnnxExporter.BuildModel(model, new OnnxExportOptions { IncludeLayerStates = false });
        var on = OnnxExporter.BuildModel(model, WithLayerStates);

        Assert.Equal(plain.ToByteArray(), off.ToByteArray());
        Assert.DoesNotContain(off.Graph.Output, o => o.Name == "layer_hidden_states");
        Assert.Equal("layer_hidden_states", on.Graph.Output.Last().Name);
        Assert.Equal(off.Graph.Output, on.Graph.Output.Take(off.Graph.Output.Count));
        Assert.Equal(off.Graph.Node, on.Graph.Node.Take(off.Graph.Node.Count));
        Assert.Equal(off.Graph.Initializer, on.Graph.Initializer.Take(off.Graph.Initializer.Count));
        Assert.Equal(off.Graph.Input, on.Graph.Input);
    }

    [Fact]
    public void Export_WithoutTheOption_GraphIsByteIdenticalToTheFormatBeforeLayerStates()
    {
        // SHA-256 of the graph written before IncludeLayerStates existed (same seeded model). If the graph changes on purpose,
        // this hash changes with it; a change in it otherwise means existing models would be exported differently.
        using var model = ExportFixtures.Model(RnnTask.LanguageModel, RnnCellType.Lstm, 2, bidirectional: false);

        string hash = Convert.ToHexString(SHA256.HashData(OnnxExporter.BuildModel(model, null).Graph.ToByteArray()));

        output.WriteLine(hash);
        Assert.Equal(GraphHashBeforeLayerStates, hash);
    }

    // Changed on purpose once since: the per-layer Slice of a multi-layer state input now has 1-D starts/ends/axes (they were
    // scalars, invalid ONNX that ran only because ORT's optimizer fused the Slice away).
    private const string GraphHashBeforeLayerStates = "8D7CB36EAE8961DB2D4AD1E79D933242C5130882A2AA3E3A330872F28BB4FBAA";
}
