using Microsoft.ML;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests;

/// <summary>The opt-in <see cref="RnnScoringOptions.LayerHiddenStatesColumnName"/> column.</summary>
public sealed class LayerHiddenStatesColumnTests
{
    private const float Tolerance = 1e-5f;
    private readonly MLContext ml = new(seed: 1);

    /// <summary>A subset of the export parity matrix: every cell and head, one and two layers, both directions.</summary>
    public static TheoryData<RnnTask, RnnCellType, int, bool> Configurations => new()
    {
        { RnnTask.SequenceClassification, RnnCellType.Lstm, 2, true },
        { RnnTask.SequenceClassification, RnnCellType.RnnRelu, 1, false },
        { RnnTask.TokenClassification, RnnCellType.Gru, 2, true },
        { RnnTask.TokenClassification, RnnCellType.RnnTanh, 2, false },
        { RnnTask.LanguageModel, RnnCellType.Lstm, 2, false },
        { RnnTask.LanguageModel, RnnCellType.Gru, 1, false },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Transform_LayerHiddenStates_MatchTorchSharpProbe_TrimmedToEachRow(RnnTask task, RnnCellType cell, int layers, bool bidirectional)
    {
        using var model = LayerStateModels.Create(task, cell, layers, bidirectional);
        var sequences = RandomSequences(37, LayerStateModels.Vocab, seed: 12, minLength: 0, maxLength: 14, lowId: 2);
        var expected = LayerStateModels.TorchLayerStates(model, sequences);
        var data = Load(ml, sequences);

        using var transformer = Fit(LayerStateModels.Export(model), data, batchSize: 5);
        var actual = Vectors<float>(transformer.Transform(data), "Layers");

        for (int i = 0; i < sequences.Length; i++)
        {
            Assert.Equal(sequences[i].Length * layers * model.Config.FeatureSize, actual[i].Length);
            AssertClose(expected[i], actual[i], $"row {i}");
        }
    }

    [Fact]
    public void Transform_LayerHiddenStates_DoNotDependOnBatchSizeOrPadding()
    {
        using var model = LayerStateModels.Create(RnnTask.TokenClassification, RnnCellType.Lstm, 2, bidirectional: true);
        byte[] onnx = LayerStateModels.Export(model);
        var sequences = RandomSequences(30, LayerStateModels.Vocab, seed: 4, minLength: 0, maxLength: 20, lowId: 2);
        var data = Load(ml, sequences);

        using var alone = Fit(onnx, data, batchSize: 1);
        using var batched = Fit(onnx, data, batchSize: 8);
        var one = Vectors<float>(alone.Transform(data), "Layers");
        var many = Vectors<float>(batched.Transform(data), "Layers");

        for (int i = 0; i < sequences.Length; i++)
            AssertClose(one[i], many[i], $"row {i}");
    }

    [Fact]
    public void Create_LayerHiddenStatesRequestedFromModelWithout_FailsSayingHowToReexport()
    {
        using var model = LayerStateModels.Create(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false);
        byte[] plain = Training.Export.OnnxExporter.Export(model);

        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = plain, LayerHiddenStatesColumnName = "Layers" }));

        Assert.Contains("layer_hidden_states", error.Message);
        Assert.Contains("IncludeLayerStates", error.Message);
        Assert.Contains(nameof(RnnScoringOptions.LayerHiddenStatesColumnName), error.Message);
    }

    [Fact]
    public void Transform_WithoutTheColumn_LeavesTheSchemaAsBefore()
    {
        using var model = LayerStateModels.Create(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false);
        var data = Load(ml, RandomSequences(3, LayerStateModels.Vocab, seed: 1));

        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = LayerStateModels.Export(model) }).Fit(data);

        Assert.Equal(["Id", "Tokens", "Score", "PredictedLabel"], transformer.Transform(data).Schema.Select(c => c.Name));
    }

    private RnnScoringTransformer Fit(byte[] onnx, IDataView data, int batchSize) =>
        ml.Transforms.ScoreRnn(new RnnScoringOptions
        {
            ModelBytes = onnx,
            BatchSize = batchSize,
            WindowSize = 16,
            LayerHiddenStatesColumnName = "Layers",
        }).Fit(data);

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what}, value {i}: expected {expected[i]}, got {actual[i]}.");
    }
}
