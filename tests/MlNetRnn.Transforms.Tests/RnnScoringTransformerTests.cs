using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests;

public sealed class RnnScoringTransformerTests
{
    private static readonly byte[] Classifier = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, labels: ["neg", "neutral", "pos"]);
    private readonly MLContext ml = new(seed: 1);

    private RnnScoringTransformer Fit(byte[] model, IDataView data, Action<RnnScoringOptions>? configure = null)
    {
        var options = new RnnScoringOptions { ModelBytes = model };
        configure?.Invoke(options);
        return ml.Transforms.ScoreRnn(options).Fit(data);
    }

    [Fact]
    public void Transform_SequenceClassifier_MatchesUnpaddedPerRowReference()
    {
        var sequences = RandomSequences(50, vocab: 12, seed: 3, minLength: 0, maxLength: 15);
        var data = Load(ml, sequences);
        using var transformer = Fit(Classifier, data, o => { o.BatchSize = 7; o.WindowSize = 20; });
        var scored = transformer.Transform(data);

        var scores = Vectors<float>(scored, "Score");
        var labels = Column<uint>(scored, "PredictedLabel");
        using var reference = new Reference(Classifier);
        for (int i = 0; i < sequences.Length; i++)
        {
            var expected = reference.Run(sequences[i])["probabilities"];
            AssertClose(expected, scores[i], 1e-5f, $"row {i}");
            Assert.Equal((uint)(Array.IndexOf(expected, expected.Max()) + 1), labels[i]);
        }
    }

    [Fact]
    public void Transform_PyTorchStyleModelWithoutLengths_MatchesExactLengthReference()
    {
        var model = TestModels.PyTorchLstmClassifier();
        var sequences = RandomSequences(40, vocab: 20, seed: 5, minLength: 1, maxLength: 6, lowId: 0);
        var data = Load(ml, sequences);
        using var transformer = Fit(model, data, o => { o.BatchSize = 8; o.LabelNames = ["no", "yes"]; o.VocabularySize = 20; });
        var scored = transformer.Transform(data);

        var scores = Vectors<float>(scored, "Score");
        using var reference = new Reference(model);
        for (int i = 0; i < sequences.Length; i++)
            AssertClose(Reference.Softmax(reference.Run(sequences[i], withLengths: false)["output"]), scores[i], 1e-5f, $"row {i}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transform_GenericModelWithLengthsInput_PadsFreelyAndMatchesTheReference(bool int32Inputs)
    {
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, withoutMetadata: true, int32Inputs: int32Inputs);
        var sequences = RandomSequences(40, vocab: 12, seed: 15, minLength: 1, maxLength: 12);
        var data = Load(ml, sequences);
        using var transformer = Fit(model, data, o => { o.OutputName = "probabilities"; o.OutputIsLogits = false; o.BatchSize = 6; o.VocabularySize = 12; });
        var scored = transformer.Transform(data);
        var scores = Vectors<float>(scored, "Score");
        using var reference = new Reference(model);
        for (int i = 0; i < sequences.Length; i++)
            AssertClose(reference.Run(sequences[i])["probabilities"], scores[i], 1e-5f, $"row {i}");

        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var stock = Vectors<float>(ml.Model.Load(stream, out _).Transform(data), "Score");
        for (int i = 0; i < sequences.Length; i++)
            AssertClose(scores[i], stock[i], 1e-6f, $"saved, row {i}");
    }

    [Fact]
    public void Transform_PredictedLabelIsKeyWithLabelNames_SoMapKeyToValueGivesNames()
    {
        var sequences = RandomSequences(30, vocab: 12, seed: 4);
        var data = Load(ml, sequences);
        var pipeline = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier })
            .Append(ml.Transforms.Conversion.MapKeyToValue("Label", "PredictedLabel"));
        var scored = pipeline.Fit(data).Transform(data);

        var type = Assert.IsType<KeyDataViewType>(scored.Schema["PredictedLabel"].Type);
        Assert.Equal(3ul, type.Count);
        var names = Column<ReadOnlyMemory<char>>(scored, "Label").Select(m => m.ToString()).ToList();
        var keys = Column<uint>(scored, "PredictedLabel");
        string[] labels = ["neg", "neutral", "pos"];
        Assert.Equal(keys.Select(k => labels[k - 1]), names);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(131)]
    public void Transform_GivesOneOutputRowPerInputRowInOrder(int rows)
    {
        var sequences = RandomSequences(rows, vocab: 12, seed: rows);
        var data = Load(ml, sequences);
        using var transformer = Fit(Classifier, data, o => { o.BatchSize = 7; o.WindowSize = 16; });
        var scored = transformer.Transform(data);

        Assert.Equal(Enumerable.Range(0, rows), Column<int>(scored, "Id"));
        Assert.Equal(sequences.Select(s => s), Vectors<long>(scored, "Tokens"));
        Assert.Equal(rows, Column<uint>(scored, "PredictedLabel").Count);
    }

    [Fact]
    public void Transform_SameNumbersForAnyBatchSizeAndWindow()
    {
        var sequences = RandomSequences(150, vocab: 12, seed: 8, maxLength: 30);
        var data = Load(ml, sequences);
        List<float[]>? first = null;
        foreach (var (batch, window, tokens) in new[] { (1, 1, 8192), (7, 5, 8192), (64, 1024, 8192), (64, 1024, 40), (3, 200, 1) })
        {
            using var transformer = Fit(Classifier, data, o => { o.BatchSize = batch; o.WindowSize = window; o.MaxTokensPerBatch = tokens; });
            var scores = Vectors<float>(transformer.Transform(data), "Score");
            if (first is null)
            {
                first = scores;
                continue;
            }

            for (int i = 0; i < scores.Count; i++)
                AssertClose(first[i], scores[i], 1e-5f, $"batch {batch}, window {window}, row {i}");
        }
    }

    [Fact]
    public void Transform_UpstreamFilterAndShuffle_KeepRowsAlignedWithTheirValues()
    {
        var sequences = RandomSequences(120, vocab: 12, seed: 9);
        var data = Load(ml, sequences);
        using var transformer = Fit(Classifier, data, o => { o.BatchSize = 5; o.WindowSize = 17; });
        // The predicate says which rows to drop: keep every third row.
        // The predicate names the rows to drop.
        var filtered = ml.Data.FilterByCustomPredicate<TokenRow>(data, r => r.Id % 3 != 0);
        var shuffled = ml.Data.ShuffleRows(filtered, seed: 2);
        var scored = transformer.Transform(shuffled);

        var ids = Column<int>(scored, "Id");
        var scores = Vectors<float>(scored, "Score");
        Assert.Equal(40, ids.Count);
        Assert.NotEqual(ids.OrderBy(i => i), ids);
        using var reference = new Reference(Classifier);
        for (int i = 0; i < ids.Count; i++)
            AssertClose(reference.Run(sequences[ids[i]])["probabilities"], scores[i], 1e-5f, $"id {ids[i]}");
    }

    [Fact]
    public void PredictionEngine_GivesTheSameNumbersAsBatchScoring()
    {
        var sequences = RandomSequences(25, vocab: 12, seed: 10);
        var data = Load(ml, sequences);
        using var transformer = Fit(Classifier, data);
        var batch = Vectors<float>(transformer.Transform(data), "Score");

        var engine = ml.Model.CreatePredictionEngine<TokenRow, ScorePrediction>(transformer);
        for (int i = 0; i < sequences.Length; i++)
        {
            var prediction = engine.Predict(new TokenRow { Id = i, Tokens = sequences[i] });
            AssertClose(batch[i], prediction.Score, 1e-6f, $"row {i}");
        }
    }

    [Fact]
    public void Transform_FromSeveralThreadsAtOnce_GivesTheSameNumbers()
    {
        var sequences = RandomSequences(200, vocab: 12, seed: 11, maxLength: 20);
        var data = Load(ml, sequences);
        using var transformer = Fit(Classifier, data, o => { o.BatchSize = 16; o.WindowSize = 64; o.Concurrency = 2; });
        var expected = Vectors<float>(transformer.Transform(data), "Score");

        var results = new List<float[]>[4];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = Vectors<float>(transformer.Transform(data), "Score"));
        foreach (var result in results)
        {
            for (int row = 0; row < expected.Count; row++)
                Assert.Equal(expected[row], result[row]);
        }
    }

    [Fact]
    public void Transform_TokenClassifier_GivesPerTokenTagsAndFlattenedScores()
    {
        var model = TestModels.MlNetRnn(TestModels.Task.TokenClassification, classes: 4, labels: ["N", "V", "D", "P"]);
        var sequences = RandomSequences(30, vocab: 12, seed: 12, minLength: 0, maxLength: 9);
        var data = Load(ml, sequences);
        using var transformer = Fit(model, data, o => o.BatchSize = 4);
        var scored = transformer.Transform(data);

        var tagType = Assert.IsType<VectorDataViewType>(scored.Schema["PredictedLabel"].Type);
        Assert.Equal(4ul, Assert.IsType<KeyDataViewType>(tagType.ItemType).Count);
        var tags = Vectors<uint>(scored, "PredictedLabel");
        var scores = Vectors<float>(scored, "Score");
        using var reference = new Reference(model);
        for (int i = 0; i < sequences.Length; i++)
        {
            int length = sequences[i].Length;
            var expected = reference.Run(sequences[i])["probabilities"].Take(length * 4).ToArray();
            AssertClose(expected, scores[i], 1e-5f, $"row {i}");
            Assert.Equal(length, tags[i].Length);
            for (int t = 0; t < length; t++)
            {
                var token = expected.AsSpan(t * 4, 4).ToArray();
                Assert.Equal((uint)(Array.IndexOf(token, token.Max()) + 1), tags[i][t]);
            }
        }
    }

    [Fact]
    public void Transform_LanguageModel_GivesNextTokenLogProbabilitiesLikelihoodAndPerplexity()
    {
        var model = TestModels.MlNetRnn(TestModels.Task.LanguageModel, lstm: true, vocab: 10);
        var sequences = RandomSequences(25, vocab: 10, seed: 13, minLength: 0, maxLength: 11);
        var data = Load(ml, sequences);
        using var transformer = Fit(model, data, o => o.BatchSize = 6);
        var scored = transformer.Transform(data);

        var tokenLogProbs = Vectors<float>(scored, "TokenLogProbabilities");
        var likelihood = Column<float>(scored, "LogLikelihood");
        var perplexity = Column<float>(scored, "Perplexity");
        using var reference = new Reference(model);
        for (int i = 0; i < sequences.Length; i++)
        {
            var ids = sequences[i];
            var logProbs = reference.Run(ids, stateLayers: 1, stateHidden: 6, lstmState: true)["log_probs"];
            var expected = Enumerable.Range(0, Math.Max(0, ids.Length - 1)).Select(t => logProbs[(t * 10) + ids[t + 1]]).ToArray();
            AssertClose(expected, tokenLogProbs[i], 1e-5f, $"row {i}");
            Assert.Equal(expected.Sum(), likelihood[i], 4);
            if (ids.Length < 2)
                Assert.True(float.IsNaN(perplexity[i]));
            else
                Assert.Equal(Math.Exp(-expected.Sum() / (ids.Length - 1)), perplexity[i], 4);
        }
    }

    [Fact]
    public void Transform_OnRequest_GivesLastHiddenAndAllHiddenStates()
    {
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, bidirectional: true, hidden: 3);
        var sequences = RandomSequences(20, vocab: 12, seed: 14);
        var data = Load(ml, sequences);
        using var transformer = Fit(model, data, o => { o.LastHiddenColumnName = "Last"; o.HiddenStatesColumnName = "States"; o.BatchSize = 3; });
        var scored = transformer.Transform(data);

        Assert.Equal(6, ((VectorDataViewType)scored.Schema["Last"].Type).Size);
        var last = Vectors<float>(scored, "Last");
        var states = Vectors<float>(scored, "States");
        using var reference = new Reference(model);
        for (int i = 0; i < sequences.Length; i++)
        {
            var expected = reference.Run(sequences[i]);
            AssertClose(expected["last_hidden"], last[i], 1e-5f, $"last, row {i}");
            AssertClose(expected["hidden_states"].Take(sequences[i].Length * 6).ToArray(), states[i], 1e-5f, $"states, row {i}");
        }
    }

    [Fact]
    public void Transform_KeyTypedTokens_ReadKeyAsIdAndMissingKeyAsUnknownId()
    {
        var vocabulary = new[] { "<pad>", "<unk>", "a", "b", "c", "d" };
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: 6);
        var words = new[] { new[] { "a", "b" }, new[] { "zzz", "c" }, new[] { "d" } };
        var text = ml.Data.LoadFromEnumerable(words.Select(w => new WordsRow { Words = w }).ToList());
        var keyData = ml.Data.LoadFromEnumerable(vocabulary.Skip(1).Select(v => new KeyDataRow { Term = v }).ToList());
        var keyed = ml.Transforms.Conversion.MapValueToKey("Tokens", "Words", keyData: keyData).Fit(text).Transform(text);
        using var transformer = Fit(model, keyed);
        var scores = Vectors<float>(transformer.Transform(keyed), "Score");

        using var reference = new Reference(model);
        AssertClose(reference.Run([2, 3])["probabilities"], scores[0]);
        AssertClose(reference.Run([1, 4])["probabilities"], scores[1]);
        AssertClose(reference.Run([5])["probabilities"], scores[2]);
    }

    [Fact]
    public void Dispose_Twice_DoesNotThrow()
    {
        var data = Load(ml, RandomSequences(3, 12, seed: 1));
        var transformer = Fit(Classifier, data);
        transformer.Dispose();
        transformer.Dispose();
    }

    [Fact]
    public void UseAfterDispose_ThrowsObjectDisposedException()
    {
        var data = Load(ml, RandomSequences(3, 12, seed: 1));
        var transformer = Fit(Classifier, data);
        var scored = transformer.Transform(data);
        transformer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => transformer.Transform(data));
        Assert.Throws<ObjectDisposedException>(() => transformer.GetRowToRowMapper(data.Schema));
        Assert.Throws<ObjectDisposedException>(() => scored.GetRowCursor(scored.Schema));
        Assert.Throws<ObjectDisposedException>(() => ml.Model.Save(transformer, data.Schema, new MemoryStream()));
    }

    [Fact]
    public void Dispose_WhileACursorIsOpen_LetsTheCursorFinish()
    {
        var sequences = RandomSequences(50, vocab: 12, seed: 2);
        var data = Load(ml, sequences);
        var transformer = Fit(Classifier, data, o => o.WindowSize = 8);
        var expected = Vectors<float>(transformer.Transform(data), "Score");
        var scored = transformer.Transform(data);
        using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        Assert.True(cursor.MoveNext());
        transformer.Dispose();
        VBuffer<float> value = default;
        int row = 0;
        do
        {
            getter(ref value);
            Assert.Equal(expected[row++], value.DenseValues().ToArray());
        }
        while (cursor.MoveNext());
        Assert.Equal(50, row);
    }

    [Fact]
    public void Transform_OnlyPassThroughColumnsRequested_DoesNotReadTokens()
    {
        var data = Load(ml, [[3, 4], [99]]);
        using var transformer = Fit(Classifier, data);
        Assert.Equal([0, 1], Column<int>(transformer.Transform(data), "Id"));
    }

    [Fact]
    public void Transform_KeepsRowCountAndShuffling()
    {
        var data = Load(ml, RandomSequences(9, 12, seed: 3));
        using var transformer = Fit(Classifier, data);
        var scored = transformer.Transform(data);
        Assert.Equal(9, scored.GetRowCount());
        Assert.Equal(data.CanShuffle, scored.CanShuffle);
    }

    [Fact]
    public void RowIds_AreTheUpstreamRowIds()
    {
        var data = Load(ml, RandomSequences(20, 12, seed: 4));
        using var transformer = Fit(Classifier, data, o => o.WindowSize = 6);
        var scored = transformer.Transform(data);
        var ids = new List<DataViewRowId>();
        using (var cursor = scored.GetRowCursor([]))
        {
            var getter = cursor.GetIdGetter();
            DataViewRowId id = default;
            while (cursor.MoveNext())
            {
                getter(ref id);
                ids.Add(id);
            }
        }

        var upstream = new List<DataViewRowId>();
        using (var cursor = data.GetRowCursor([]))
        {
            var getter = cursor.GetIdGetter();
            DataViewRowId id = default;
            while (cursor.MoveNext())
            {
                getter(ref id);
                upstream.Add(id);
            }
        }

        Assert.Equal(upstream, ids);
    }

    private sealed class ScorePrediction
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class WordsRow
    {
        public string[] Words { get; set; } = [];
    }

    private sealed class KeyDataRow
    {
        public string Term { get; set; } = string.Empty;
    }
}
