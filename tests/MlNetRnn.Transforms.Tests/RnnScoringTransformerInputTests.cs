using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests;

/// <summary>Bad and unusual rows: each gets a defined output or an exception naming row and column.</summary>
public sealed class RnnScoringTransformerInputTests
{
    private static readonly byte[] Classifier = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: 12);
    private static readonly byte[] PyTorch = TestModels.PyTorchLstmClassifier(vocab: 20);
    private readonly MLContext ml = new(seed: 1);

    private List<float[]> Score(byte[] model, long[][] sequences, Action<RnnScoringOptions>? configure = null, string column = "Score")
    {
        var data = Load(ml, sequences);
        var options = new RnnScoringOptions { ModelBytes = model, BatchSize = 4 };
        configure?.Invoke(options);
        using var transformer = ml.Transforms.ScoreRnn(options).Fit(data);
        return Vectors<float>(transformer.Transform(data), column);
    }

    [Fact]
    public void EmptySequence_MlNetRnnModel_GetsTheGraphsNoStepResult()
    {
        var scores = Score(Classifier, [[3, 4], [], [5]]);
        using var reference = new Reference(Classifier);
        AssertClose(reference.Run([])["probabilities"], scores[1]);
        Assert.All(scores[1], v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void EmptySequence_GenericModel_GetsNaNScoresAndAMissingLabel_AndOtherRowsAreUnaffected()
    {
        var sequences = new long[][] { [3, 4], [], [5, 6], [] };
        var data = Load(ml, sequences);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = PyTorch, BatchSize = 4 }).Fit(data);
        var scored = transformer.Transform(data);
        var scores = Vectors<float>(scored, "Score");
        var labels = Column<uint>(scored, "PredictedLabel");
        Assert.All(scores[1], v => Assert.True(float.IsNaN(v)));
        Assert.All(scores[3], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(0u, labels[1]);
        using var reference = new Reference(PyTorch);
        AssertClose(Reference.Softmax(reference.Run([5, 6], withLengths: false)["output"]), scores[2]);
    }

    [Fact]
    public void EmptySequence_GenericModel_SavedFormGivesTheSameNaNsAndMissingLabel()
    {
        var sequences = new long[][] { [3, 4], [] };
        var data = Load(ml, sequences);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = PyTorch }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var stock = ml.Model.Load(stream, out _).Transform(data);
        Assert.All(Vectors<float>(stock, "Score")[1], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(0u, Column<uint>(stock, "PredictedLabel")[1]);
    }

    [Fact]
    public void IdAtOrAboveVocabularySize_ThrowsNamingRowColumnAndToken()
    {
        var error = Assert.Throws<InvalidDataException>(() => Score(Classifier, [[3, 4], [5, 12, 2]]));
        Assert.Contains("Row 1, column 'Tokens', token 1: id 12", error.Message);
        Assert.Contains("0…11", error.Message);
    }

    [Fact]
    public void NegativeId_ThrowsNamingRowColumnAndToken()
    {
        var error = Assert.Throws<InvalidDataException>(() => Score(Classifier, [[3], [4], [2, -1]]));
        Assert.Contains("Row 2, column 'Tokens', token 1: the negative id -1", error.Message);
    }

    [Fact]
    public void OutOfRangeId_GenericModelWithVocabularySize_ThrowsNamingRow()
    {
        var error = Assert.Throws<InvalidDataException>(() => Score(PyTorch, [[3], [25]], o => o.VocabularySize = 20));
        Assert.Contains("Row 1, column 'Tokens', token 0: id 25", error.Message);
    }

    [Fact]
    public void OutOfRangeId_GenericModelWithoutVocabularySize_OnnxRuntimeRefusesAndTheMessageNamesTheRowAndToken()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Score(PyTorch, [[3], [25]]));
        Assert.StartsWith("Row 1, column 'Tokens', token 0: id 25: ONNX Runtime failed", error.Message);
        Assert.Contains("idx=25", error.Message);
    }

    [Fact]
    public void OutOfRangeId_SavedForm_ThrowsNamingColumnAndToken()
    {
        var data = Load(ml, [[3], [4]]);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var stock = ml.Model.Load(stream, out _).Transform(Load(ml, [[3], [4, 99]]));
        var error = Assert.ThrowsAny<Exception>(() => Vectors<float>(stock, "Score"));
        var inner = error;
        while (inner is not InvalidDataException && inner.InnerException is not null)
            inner = inner.InnerException;
        Assert.Contains("Row unknown, column 'Tokens', token 1: id 99", inner.Message);
    }

    [Fact]
    public void MissingKey_GenericModelWithoutUnknownId_ThrowsNamingRowAndColumn()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new KeyRow { Tokens = [2, 3] }, new KeyRow { Tokens = [0] } });
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = PyTorch }).Fit(data);
        var error = Assert.Throws<InvalidDataException>(() => Vectors<float>(transformer.Transform(data), "Score"));
        Assert.Contains("Row 1, column 'Tokens', token 0: key 0", error.Message);
    }

    [Fact]
    public void MissingKey_GenericModelWithUnknownId_IsReadAsThatId()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new KeyRow { Tokens = [0, 3] } });
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = PyTorch, UnknownId = 7 }).Fit(data);
        using var reference = new Reference(PyTorch);
        AssertClose(Reference.Softmax(reference.Run([7, 3], withLengths: false)["output"]), Vectors<float>(transformer.Transform(data), "Score")[0]);
    }

    [Fact]
    public void SequenceLongerThanTheTokenBudget_IsScoredAloneAndCorrectly()
    {
        var sequences = RandomSequences(12, vocab: 12, seed: 41, minLength: 1, maxLength: 30);
        var scores = Score(Classifier, sequences, o => o.MaxTokensPerBatch = 5);
        using var reference = new Reference(Classifier);
        for (int i = 0; i < sequences.Length; i++)
            AssertClose(reference.Run(sequences[i])["probabilities"], scores[i], 1e-5f, $"row {i}");
    }

    [Fact]
    public void Int32Tokens_AreAccepted()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new IntTokenRow { Tokens = [3, 4] } });
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).Fit(data);
        using var reference = new Reference(Classifier);
        AssertClose(reference.Run([3, 4])["probabilities"], Vectors<float>(transformer.Transform(data), "Score")[0]);
    }

    [Fact]
    public void OutputColumnNamedLikeAnInputColumn_HidesIt()
    {
        var data = Load(ml, [[3, 4]]);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier, ScoreColumnName = "Id" }).Fit(data);
        var scored = transformer.Transform(data);
        Assert.IsType<VectorDataViewType>(scored.Schema["Id"].Type);
        Assert.Equal(3, Vectors<float>(scored, "Id")[0].Length);
    }

    private sealed class KeyRow
    {
        [KeyType(20)]
        [VectorType]
        public uint[] Tokens { get; set; } = [];
    }
}
