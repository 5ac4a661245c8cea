using Microsoft.ML;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;
using static TorchSharp.torch;

namespace MlNetRnn.Transforms.Tests;

/// <summary>
/// Every cell × {1, 2} layers × {uni, bi} × head (the language model unidirectional only) through the ML.NET transformer:
/// the same rows scored one per batch (no padding), in batches of 8 and in one batch of all rows (padded to the batch's
/// longest) give the same outputs, and those match TorchSharp on the same model.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GridThroughMlNetTests
{
    private const int Vocab = 11;
    private const int Rows = 23;

    public static TheoryData<RnnTask, RnnCellType, int, bool> Grid()
    {
        var grid = new TheoryData<RnnTask, RnnCellType, int, bool>();
        foreach (var task in new[] { RnnTask.SequenceClassification, RnnTask.TokenClassification, RnnTask.LanguageModel })
        {
            foreach (var cell in Enum.GetValues<RnnCellType>())
            {
                foreach (int layers in new[] { 1, 2 })
                {
                    foreach (bool bidirectional in task == RnnTask.LanguageModel ? new[] { false } : [false, true])
                        grid.Add(task, cell, layers, bidirectional);
                }
            }
        }
        return grid;
    }

    [Fact]
    public void Grid_CoversEveryCellLayerDirectionAndHead()
        => Assert.Equal((4 * 2 * 2 * 2) + (4 * 2), Grid().Count);

    [Theory]
    [MemberData(nameof(Grid))]
    public void Scores_AreIndependentOfPaddingAndBatchSize_AndMatchTorchSharp(RnnTask task, RnnCellType cell, int layers, bool bidirectional)
    {
        var ml = new MLContext(seed: 1);
        manual_seed(21);
        using var model = new RnnSequenceModel(new RnnModelConfig(task, cell, Vocab, EmbeddingDim: 4, HiddenSize: 5, NumLayers: layers,
            Bidirectional: bidirectional, NumClasses: task == RnnTask.LanguageModel ? 0 : 3));
        model.eval();
        byte[] onnx = OnnxExporter.Export(model);
        var sequences = RandomSequences(Rows, Vocab, seed: 22, minLength: 1, maxLength: 12, lowId: 2);
        var torch = TrainingExportedModelTests.TorchOutputs(model, sequences);
        var data = Load(ml, sequences);
        string main = task == RnnTask.LanguageModel ? "TokenLogProbabilities" : "Score";
        string what = $"{task} {cell} {layers} layer(s) {(bidirectional ? "bi" : "uni")}";

        var alone = Score(ml, data, onnx, batchSize: 1, main);
        foreach (int batchSize in new[] { 8, Rows })
        {
            var padded = Score(ml, data, onnx, batchSize, main);
            for (int i = 0; i < Rows; i++)
            {
                for (int output = 0; output < 3; output++)
                    AssertClose(alone[output][i], padded[output][i], 1e-6f, $"{what}, batch size {batchSize} vs 1, output {output}, row {i}");
            }
        }

        for (int i = 0; i < Rows; i++)
        {
            AssertClose(torch.Main[i], alone[0][i], 1e-4f, $"{what}, {main} vs TorchSharp, row {i}");
            AssertClose(torch.States[i], alone[1][i], 1e-4f, $"{what}, hidden states vs TorchSharp, row {i}");
            AssertClose(torch.Last[i], alone[2][i], 1e-4f, $"{what}, last hidden vs TorchSharp, row {i}");
        }
    }

    // The main output, the hidden states and the last hidden state of every row, in row order.
    private static List<float[]>[] Score(MLContext ml, IDataView data, byte[] onnx, int batchSize, string main)
    {
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions
        {
            ModelBytes = onnx,
            BatchSize = batchSize,
            WindowSize = Rows,
            HiddenStatesColumnName = "States",
            LastHiddenColumnName = "Last",
        }).Fit(data);
        var scored = transformer.Transform(data);
        return [Vectors<float>(scored, main), Vectors<float>(scored, "States"), Vectors<float>(scored, "Last")];
    }
}
