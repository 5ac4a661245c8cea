using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetRnn.Transforms.Tests;

/// <summary>What a cursor does once reading or scoring has failed, and what the error says.</summary>
public sealed class RnnScoringTransformerFailureTests
{
    private static readonly byte[] Classifier = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: 12);

    // No VocabularySize: ids are not checked while reading, so ONNX Runtime's Gather refuses an id >= 20 on the batch.
    private static readonly byte[] PyTorch = TestModels.PyTorchLstmClassifier(vocab: 20);

    // A generic model with a lengths input and no vocabulary size: rows of any length share a batch, ids go unchecked.
    private static readonly byte[] GenericWithLengths = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: 12, withoutMetadata: true);

    private readonly MLContext ml = new(seed: 1);

    [Fact]
    public void MoveNext_AfterOnnxRuntimeFailedMidStream_ThrowsAgainInsteadOfServingRows()
    {
        // Rows of equal length; row 13 (second window) has an id outside the embedding table.
        var sequences = Enumerable.Range(0, 24).Select(i => new long[] { 1 + (i % 19), 2, i == 13 ? 25 : 3 }).ToArray();
        var data = Load(ml, sequences);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = PyTorch, BatchSize = 4, WindowSize = 8 }).Fit(data);
        var scored = transformer.Transform(data);

        using var cursor = scored.GetRowCursor(scored.Schema);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        VBuffer<float> score = default;
        int served = 0;
        var first = Assert.Throws<InvalidOperationException>(() =>
        {
            while (cursor.MoveNext())
            {
                getter(ref score);
                served++;
            }
        });
        Assert.Equal(8, served);
        Assert.Contains("Row 13", first.Message);

        var again = Assert.Throws<InvalidOperationException>(() => cursor.MoveNext());
        Assert.Same(first, again.InnerException);
        Assert.Contains("from row 8", again.Message);
        Assert.Throws<InvalidOperationException>(() => cursor.MoveNext());
    }

    [Fact]
    public void MoveNext_AfterABadIdInTheMiddleOfAWindow_ThrowsAgainInsteadOfSkippingRows()
    {
        var sequences = RandomSequences(20, vocab: 12, seed: 3, minLength: 1, maxLength: 6);
        sequences[5] = [4, 12, 3];
        var data = Load(ml, sequences);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier, BatchSize = 4, WindowSize = 8 }).Fit(data);
        var scored = transformer.Transform(data);

        using var cursor = scored.GetRowCursor(scored.Schema);
        var first = Assert.Throws<InvalidDataException>(() => cursor.MoveNext());
        Assert.Contains("Row 5, column 'Tokens', token 1: id 12", first.Message);

        var again = Assert.Throws<InvalidOperationException>(() => cursor.MoveNext());
        Assert.Same(first, again.InnerException);
        Assert.Contains("from row 0", again.Message);
    }

    [Fact]
    public void PredictionEngine_AfterARowFailed_ScoresTheNextRowsCorrectly()
    {
        var data = Load(ml, [[3, 4]]);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<TokenRow, ScorePrediction>(transformer);

        Assert.Throws<InvalidDataException>(() => engine.Predict(new TokenRow { Tokens = [3, 99] }));
        Assert.Throws<InvalidDataException>(() => engine.Predict(new TokenRow { Tokens = [3, 99] }));
        using var reference = new Reference(Classifier);
        AssertClose(reference.Run([5, 6, 7])["probabilities"], engine.Predict(new TokenRow { Tokens = [5, 6, 7] }).Score);
    }

    [Fact]
    public void PredictionEngine_AfterOnnxRuntimeFailedOnARow_ScoresTheNextRowsCorrectly()
    {
        var data = Load(ml, [[3, 4]]);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = PyTorch }).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<TokenRow, ScorePrediction>(transformer);

        var error = Assert.Throws<InvalidOperationException>(() => engine.Predict(new TokenRow { Tokens = [3, 25] }));
        Assert.StartsWith("Row 0, column 'Tokens', token 1: id 25", error.Message);
        using var reference = new Reference(PyTorch);
        AssertClose(Reference.Softmax(reference.Run([5, 6], withLengths: false)["output"]), engine.Predict(new TokenRow { Tokens = [5, 6] }).Score);
    }

    [Fact]
    public void OnnxRuntimeFailure_NamesTheFailingRowAndToken_EvenWhenItIsNotAmongTheBatchsFirstRows()
    {
        // Fourteen long rows and one short bad row (row 3): in planner order (longest first) row 3 comes last.
        var sequences = RandomSequences(15, vocab: 12, seed: 4, minLength: 5, maxLength: 5);
        sequences[3] = [30];
        var error = Assert.Throws<InvalidOperationException>(() => ScoreGeneric(sequences));
        Assert.StartsWith("Row 3, column 'Tokens', token 0: id 30: ONNX Runtime failed on this row (in a batch of 15 rows", error.Message);
        Assert.Contains("idx=30", error.Message);
    }

    [Fact]
    public void OnnxRuntimeFailure_SeveralBadRowsInOneBatch_NamesEachOfThem()
    {
        var sequences = RandomSequences(16, vocab: 12, seed: 5, minLength: 2, maxLength: 6);
        sequences[2] = [1, 40];
        sequences[11] = [2, 3, 50, 4];
        var error = Assert.Throws<InvalidOperationException>(() => ScoreGeneric(sequences));
        Assert.StartsWith("Rows 2, 11, column 'Tokens': ONNX Runtime failed on each of these rows alone", error.Message);
        Assert.Contains("row 2, column 'Tokens', token 1: id 40", error.Message);
    }

    [Fact]
    public void OnnxRuntimeFailure_OnlyOnTheWholeBatch_SaysNoSingleRowFailsAndNamesTheBatchsRows()
    {
        var sequences = RandomSequences(6, vocab: 12, seed: 6, minLength: 3, maxLength: 3);
        var data = Load(ml, sequences);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = BatchOfOneOnly(), BatchSize = 8 }).Fit(data);
        var error = Assert.Throws<InvalidOperationException>(() => Vectors<float>(transformer.Transform(data), "Score"));
        Assert.StartsWith("Column 'Tokens': ONNX Runtime failed in a batch of 6 rows padded to length 3 (rows 0, 1, 2, 3, 4, 5), but on none of these rows", error.Message);
    }

    /// <summary>A generic classifier whose graph reshapes to batch 1, so ONNX Runtime fails on any larger batch.</summary>
    private static byte[] BatchOfOneOnly()
    {
        var g = new OnnxGraph(seed: 2);
        g.Input("input", DataType.Int64, "batch", "sequence");
        g.Output("output", DataType.Float, "batch", 2);
        string emb = g.Op("Gather", g.Random("embedding.weight", 1f, 12, 4), "input");                     // (B, T, E)
        string mean = g.Op("ReduceMean", [emb], OnnxGraph.IntList("axes", 1), OnnxGraph.Int("keepdims", 0));  // (B, E)
        string one = g.Op("Reshape", mean, g.Ints("one_by_e", 1, 4));                                       // (1, E)
        g.Named("output", "Gemm", [one, g.Random("fc.weight", 0.7f, 2, 4), g.Random("fc.bias", 0.1f, 2)], OnnxGraph.Int("transB", 1));
        return OnnxGraph.Bytes(g.Model());
    }

    private List<float[]> ScoreGeneric(long[][] sequences)
    {
        var data = Load(ml, sequences);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions
        {
            ModelBytes = GenericWithLengths, OutputName = "probabilities", OutputIsLogits = false, BatchSize = 32,
        }).Fit(data);
        return Vectors<float>(transformer.Transform(data), "Score");
    }

    private sealed class ScorePrediction
    {
        public float[] Score { get; set; } = [];
    }
}
