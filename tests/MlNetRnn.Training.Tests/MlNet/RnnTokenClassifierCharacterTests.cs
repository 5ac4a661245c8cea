using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms;
using Xunit;

namespace MlNetRnn.Training.Tests.MlNet;

/// <summary><see cref="RnnTokenClassifierTrainer"/> with a character encoder (<see cref="RnnTokenClassifierOptions.CharHiddenSize"/> &gt; 0).</summary>
[Collection(TorchCollection.Name)]
public sealed class RnnTokenClassifierCharacterTests
{
    private readonly MLContext ml = new(seed: 1);

    private static RnnTokenClassifierOptions Small(int epochs = 8, int charHidden = 12) => new()
    {
        Cell = RnnCellType.Gru,
        EmbeddingDim = 8,
        HiddenSize = 12,
        CharEmbeddingDim = 8,
        CharHiddenSize = charHidden,
        WordDropout = 0.1,
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.03,
        Seed = 3,
        Tokenization = new TokenizationSettings(TokenizationLevel.Word, lowercase: true, pattern: @"\S+"),
    };

    private static double Accuracy(IDataView scored)
    {
        var predicted = scored.GetColumn<uint[]>("PredictedLabel").SelectMany(p => p).ToArray();
        var expected = scored.GetColumn<uint[]>("Label").SelectMany(p => p).ToArray();
        Assert.Equal(expected.Length, predicted.Length);
        return predicted.Zip(expected).Count(p => p.First == p.Second) / (double)expected.Length;
    }

    [Fact]
    public void Fit_WithCharacters_TagsUnseenWordsByTheirSpelling()
    {
        var train = FitData.Suffixed(ml, 240, seed: 1);
        var test = FitData.Suffixed(ml, 60, seed: 2);
        var fitted = FitData.TagsToKeys(ml).Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(Small())).Fit(train);
        using var model = fitted.LastTransformer;

        var scored = fitted.Transform(test);
        var unseen = scored.GetColumn<string>("Text").SelectMany(t => t.Split(' ')).Count(w => !model.Vocabulary!.Tokens.Contains(w.ToLowerInvariant()));
        double accuracy = Accuracy(scored);

        // Nearly every test word is unseen: a word-only tagger sees one unknown id and can do no better than guessing.
        Assert.True(unseen >= 0.9 * scored.GetColumn<uint[]>("Label").Sum(l => l.Length), $"{unseen} unseen words");
        Assert.True(accuracy >= 0.9, $"token accuracy {accuracy} on unseen words");
        var words = scored.GetColumn<VBuffer<ReadOnlyMemory<char>>>("TextWords").First().DenseValues().Select(w => w.ToString());
        Assert.Equal(scored.GetColumn<string>("Text").First().Split(' '), words);
    }

    [Fact]
    public void Fit_WithCharacters_SameSeedGivesTheSameModel()
    {
        var train = FitData.Suffixed(ml, 60, seed: 1);
        var test = FitData.Suffixed(ml, 20, seed: 2);
        var pipeline = FitData.TagsToKeys(ml).Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(Small(epochs: 2)));

        var first = pipeline.Fit(train);
        var second = pipeline.Fit(train);
        using var a = first.LastTransformer;
        using var b = second.LastTransformer;

        Assert.Equal(first.Transform(test).GetColumn<float[]>("Score").ToArray(), second.Transform(test).GetColumn<float[]>("Score").ToArray());
        Assert.Equal(a.GetOnnxModel(), b.GetOnnxModel());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveAndLoad_AfterFitWithCharacters_GiveTheSameScores(bool tokenKeys)
    {
        var options = Small(epochs: 2);
        var train = FitData.Suffixed(ml, 60, seed: 1);
        var test = FitData.Suffixed(ml, 20, seed: 2);
        IEstimator<ITransformer> prepare = FitData.TagsToKeys(ml);
        if (tokenKeys)
        {
            // Keys from the training words only: most test words are missing keys (no characters), some are known.
            options.InputColumnName = "Words";
            prepare = ml.Transforms.Text.TokenizeIntoWords("Words", "Text", [' ']).Append(ml.Transforms.Conversion.MapValueToKey("Words")).Append(prepare);
        }

        var fitted = prepare.Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(options)).Fit(train);
        var expected = fitted.Transform(test);
        using var stream = new MemoryStream();
        ml.Model.Save(fitted, train.Schema, stream);
        var expectedScores = expected.GetColumn<float[]>("Score").ToArray();
        var expectedLabels = expected.GetColumn<uint[]>("PredictedLabel").ToArray();
        fitted.LastTransformer.Dispose();

        stream.Position = 0;
        var plain = new MLContext(seed: 2).Model.Load(stream, out _);
        stream.Position = 0;
        using var fast = new MLContext(seed: 3).Model.LoadWithRnnFastPath(stream, out _);

        foreach (var loaded in new[] { plain, fast })
        {
            var scores = loaded.Transform(test).GetColumn<float[]>("Score").ToArray();
            Assert.Equal(expectedScores.Length, scores.Length);
            for (int i = 0; i < scores.Length; i++)
            {
                Assert.Equal(expectedScores[i].Length, scores[i].Length);
                for (int k = 0; k < scores[i].Length; k++)
                    Assert.True(Math.Abs(expectedScores[i][k] - scores[i][k]) <= 1e-6, $"row {i}, value {k}: {expectedScores[i][k]} before saving, {scores[i][k]} after");
            }

            Assert.Equal(expectedLabels, loaded.Transform(test).GetColumn<uint[]>("PredictedLabel").ToArray());
        }

        var restored = Assert.Single(Flatten(fast.Model).OfType<RnnScoringTransformer>());
        Assert.Equal(tokenKeys ? "Words" : "TextTokens", restored.InputColumnName);
    }

    [Fact]
    public void Fit_WithCharacters_TokenKeysWithoutTextKeyValues_NamesTheColumn()
    {
        var options = Small(epochs: 1);
        options.InputColumnName = "Ids";
        var rows = new[] { new KeyRow { Ids = [1, 2], Label = [1, 2] }, new KeyRow { Ids = [3], Label = [2] } };

        var error = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.RnnTokenClassifier(options).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Input column 'Ids'", error.Message);
        Assert.Contains(nameof(RnnTokenClassifierOptions.CharHiddenSize), error.Message);
    }

    [Fact]
    public void Options_NegativeCharacterSizes_AreRefusedNamingTheOption()
    {
        var hidden = Small(charHidden: -1);
        var embedding = Small();
        embedding.CharEmbeddingDim = 0;
        var wordDropout = Small();
        wordDropout.WordDropout = 1.0;

        Assert.Contains("CharHiddenSize", Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.RnnTokenClassifier(hidden)).Message);
        Assert.Contains("CharEmbeddingDim", Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.RnnTokenClassifier(embedding)).Message);
        Assert.Contains("WordDropout", Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.RnnTokenClassifier(wordDropout)).Message);
    }

    [Fact]
    public void GetOutputSchema_WithCharacters_AddsTheTokensAsWritten()
    {
        var tagged = FitData.TagsToKeys(ml).Fit(FitData.Suffixed(ml, 4, seed: 1)).Transform(FitData.Suffixed(ml, 4, seed: 1));

        var withCharacters = ml.MulticlassClassification.Trainers.RnnTokenClassifier(Small()).GetOutputSchema(FitData.Shape(tagged.Schema));
        var without = ml.MulticlassClassification.Trainers.RnnTokenClassifier(Small(charHidden: 0)).GetOutputSchema(FitData.Shape(tagged.Schema));

        var words = Assert.Single(withCharacters, c => c.Name == "TextWords");
        Assert.Equal(SchemaShape.Column.VectorKind.VariableVector, words.Kind);
        Assert.Equal(TextDataViewType.Instance, words.ItemType);
        Assert.DoesNotContain(without, c => c.Name == "TextWords");
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> inner && transformer.GetType().IsGenericType ? inner.SelectMany(Flatten) : [transformer];

    private sealed class KeyRow
    {
        [KeyType(5)]
        [VectorType]
        public uint[] Ids { get; set; } = [];

        [KeyType(3)]
        [VectorType]
        public uint[] Label { get; set; } = [];
    }
}
