using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using Xunit;

namespace MlNetRnn.Training.Tests.MlNet;

[Collection(TorchCollection.Name)]
public sealed class RnnTokenClassifierTrainerTests
{
    private readonly MLContext ml = new(seed: 1);

    private static RnnTokenClassifierOptions Small(int epochs = 10) => new()
    {
        Cell = RnnCellType.Gru,
        EmbeddingDim = 8,
        HiddenSize = 12,
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.03,
        Seed = 3,
        Tokenization = new TokenizationSettings(TokenizationLevel.Word, lowercase: false, pattern: @"\S+"),
    };

    [Fact]
    public void Fit_OnText_LearnsTheTags_AndScoresOneTagPerToken()
    {
        var pipeline = FitData.TagsToKeys(ml).Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(Small()));

        var fitted = pipeline.Fit(FitData.Tagged(ml, 200, seed: 1));
        using var model = fitted.LastTransformer;
        var scored = fitted.Transform(FitData.Tagged(ml, 50, seed: 2));
        var predicted = scored.GetColumn<uint[]>("PredictedLabel").ToArray();
        var expected = scored.GetColumn<uint[]>("Label").ToArray();

        Assert.Equal(expected.Select(e => e.Length), predicted.Select(p => p.Length));
        double accuracy = expected.Zip(predicted).Sum(pair => pair.First.Zip(pair.Second).Count(t => t.First == t.Second)) / (double)expected.Sum(e => e.Length);
        Assert.True(accuracy >= 0.98, $"token accuracy {accuracy}");
        Assert.Equal(["D", "N", "V"], model.LabelNames.Order());
        Assert.Equal(10, model.TrainingResult.History.Count);
    }

    [Fact]
    public void Fit_OnTokenKeys_LearnsTheTags()
    {
        var options = Small();
        options.InputColumnName = "Words";
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", "Text", [' '])
            .Append(ml.Transforms.Conversion.MapValueToKey("Words"))
            .Append(FitData.TagsToKeys(ml))
            .Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(options));

        var fitted = pipeline.Fit(FitData.Tagged(ml, 200, seed: 1));
        using var model = fitted.LastTransformer;
        var scored = fitted.Transform(FitData.Tagged(ml, 50, seed: 2));

        var predicted = scored.GetColumn<uint[]>("PredictedLabel").SelectMany(p => p).ToArray();
        var expected = scored.GetColumn<uint[]>("Label").SelectMany(p => p).ToArray();
        Assert.True(predicted.Zip(expected).Count(p => p.First == p.Second) >= 0.98 * expected.Length, "token accuracy below 0.98");
        Assert.Null(model.Vocabulary);
    }

    [Fact]
    public void Fit_TagCountDiffersFromTokenCount_NamesTheRow()
    {
        var rows = new[] { new FitData.TaggedRow { Text = "the cat", Tags = "D N" }, new FitData.TaggedRow { Text = "a dog ran", Tags = "D N" } };
        var pipeline = FitData.TagsToKeys(ml).Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(Small()));

        var error = Assert.Throws<InvalidDataException>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Row 1 of the training data: column 'Text' has 3 tokens but column 'Label' has 2 tags", error.Message);
    }

    [Fact]
    public void GetOutputSchema_ScalarLabel_NamesTheColumnAndExpectedType()
    {
        var trainer = ml.MulticlassClassification.Trainers.RnnTokenClassifier(Small());
        var shape = FitData.Shape(ml.Transforms.Conversion.MapValueToKey("Label", "Tags").Fit(FitData.Tagged(ml, 4, 1)).Transform(FitData.Tagged(ml, 4, 1)).Schema);

        var error = Assert.Throws<ArgumentException>(() => trainer.GetOutputSchema(shape));

        Assert.Contains("Label column 'Label': expected a vector of Key<UInt32> with one tag per token", error.Message);
        Assert.Contains("got Key<UInt32>", error.Message);
    }
}
