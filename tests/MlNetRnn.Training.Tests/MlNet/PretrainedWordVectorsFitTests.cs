using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using Xunit;

namespace MlNetRnn.Training.Tests.MlNet;

/// <summary><see cref="RnnTrainerOptions.PretrainedWordVectors"/> and its companions, through <c>Fit</c>.</summary>
[Collection(TorchCollection.Name)]
public sealed class PretrainedWordVectorsFitTests
{
    private readonly MLContext ml = new(seed: 1);

    /// <summary>
    /// 8-d vectors whose first value is the sentiment (+1, −1, 0) of FitData's words and of cue words the training rows never
    /// use ("excellent", "superb", "terrible", "dreadful"); the other values tell the words apart.
    /// </summary>
    private static WordVectors Vectors(int dimensions = 8)
    {
        string[] positive = ["good", "great", "fun", "excellent", "superb"], negative = ["bad", "awful", "boring", "terrible", "dreadful"];
        string[] neutral = ["the", "movie", "plot", "was", "and", "a", "story", "it"];
        var random = new Random(5);
        float[] Vector(float sentiment) => [sentiment, .. Enumerable.Range(1, dimensions - 1).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f)];
        return new WordVectors(dimensions, neutral.Select(w => KeyValuePair.Create(w, Vector(0)))
            .Concat(positive.Select(w => KeyValuePair.Create(w, Vector(1))))
            .Concat(negative.Select(w => KeyValuePair.Create(w, Vector(-1)))));
    }

    private static RnnSequenceClassifierOptions Options(bool freeze, int pretrainedWords = 100)
    {
        var options = RnnSequenceClassifierTrainerTests.Small(epochs: 8);
        options.PretrainedWordVectors = Vectors();
        options.FreezeEmbedding = freeze;
        options.PretrainedWordCount = pretrainedWords;
        return options;
    }

    [Fact]
    public void Fit_WithFrozenPretrainedVectors_ClassifiesCueWordsNeverSeenInTraining()
    {
        var data = FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 160, seed: 1));
        using var model = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(Options(freeze: true)).Fit(data.Transform(FitData.Sentiment(ml, 160, seed: 1)));
        var unseen = FitData.SentimentRows(60, seed: 2).Select(r => new FitData.TextRow
        {
            Text = r.Text.Replace("good", "excellent").Replace("great", "superb").Replace("fun", "excellent")
                .Replace("bad", "terrible").Replace("awful", "dreadful").Replace("boring", "terrible"),
            Label = r.Label,
        });

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data.Transform(ml.Data.LoadFromEnumerable(unseen))));

        Assert.Contains("excellent", model.Vocabulary!.Tokens);
        Assert.True(metrics.MicroAccuracy >= 0.9, $"accuracy on unseen cue words {metrics.MicroAccuracy}");
    }

    [Fact]
    public void Fit_WithPretrainedVectors_TwiceWithTheSameSeed_GivesIdenticalScores()
    {
        var data = FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 60, seed: 1)).Transform(FitData.Sentiment(ml, 60, seed: 1));
        float[][] Scores()
        {
            var options = Options(freeze: false);
            options.Epochs = 2;
            options.Dropout = 0.3;
            using var model = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options).Fit(data);
            return model.Transform(data).GetColumn<float[]>("Score").ToArray();
        }

        Assert.Equal(Scores(), Scores());
    }

    [Fact]
    public void Fit_WithoutPretrainedWordCount_KeepsTheTrainingVocabulary()
    {
        var data = FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 60, seed: 1)).Transform(FitData.Sentiment(ml, 60, seed: 1));
        var options = Options(freeze: false, pretrainedWords: 0);
        options.Epochs = 1;

        using var model = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options).Fit(data);

        Assert.DoesNotContain("excellent", model.Vocabulary!.Tokens);
    }

    [Fact]
    public void Trainer_VectorsOfAnotherSizeThanEmbeddingDim_IsAnErrorNamingBoth()
    {
        var options = Options(freeze: false);
        options.PretrainedWordVectors = Vectors(dimensions: 5);

        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options));

        Assert.Equal("EmbeddingDim: expected 5 (the dimensions of PretrainedWordVectors), got 8. (Parameter 'EmbeddingDim')", e.Message);
    }

    [Fact]
    public void Trainer_FreezeEmbeddingWithoutVectors_IsAnError()
    {
        var options = RnnSequenceClassifierTrainerTests.Small();
        options.FreezeEmbedding = true;

        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options));

        Assert.Equal("FreezeEmbedding", e.ParamName);
    }

    [Fact]
    public void Fit_PretrainedVectorsOnTokenKeys_IsAnErrorNamingTheOption()
    {
        var options = Options(freeze: false);
        options.InputColumnName = "Tokens";

        var e = Assert.Throws<ArgumentException>(() => FitData.ToKeys(ml).Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options)).Fit(FitData.Keys(ml, 20, seed: 1)));

        Assert.StartsWith("PretrainedWordVectors: expected a text input column, but 'Tokens' holds token keys", e.Message);
    }
}
