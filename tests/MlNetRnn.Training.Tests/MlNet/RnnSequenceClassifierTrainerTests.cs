using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using MlNetRnn.Transforms;
using Xunit;

namespace MlNetRnn.Training.Tests.MlNet;

[Collection(TorchCollection.Name)]
public sealed class RnnSequenceClassifierTrainerTests
{
    private readonly MLContext ml = new(seed: 1);

    internal static RnnSequenceClassifierOptions Small(int epochs = 12) => new()
    {
        Cell = RnnCellType.Gru,
        EmbeddingDim = 8,
        HiddenSize = 12,
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.02,
        Seed = 3,
    };

    [Fact]
    public void Fit_OnText_LearnsTheTask_AndEvaluateWorks()
    {
        var options = Small();
        options.ValidationFraction = 0.25;
        var pipeline = FitData.LabelToKey(ml).Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options));

        var fitted = pipeline.Fit(FitData.Sentiment(ml, 160, seed: 1));
        using var model = fitted.LastTransformer;
        var test = fitted.Transform(FitData.Sentiment(ml, 80, seed: 2));
        var metrics = ml.MulticlassClassification.Evaluate(test);

        Assert.True(metrics.MicroAccuracy >= 0.95, $"test accuracy {metrics.MicroAccuracy}");
        Assert.Equal(12, model.TrainingResult.History.Count);
        Assert.All(model.TrainingResult.History, e => Assert.NotNull(e.ValidationAccuracy));
        Assert.True(model.TrainingResult.History[^1].TrainLoss < model.TrainingResult.History[0].TrainLoss / 2, "training loss should at least halve");
        Assert.Equal(["pos", "neg"], model.LabelNames);
        Assert.Contains("good", model.Vocabulary!.Tokens);
    }

    [Fact]
    public void Fit_OnTokenKeys_LearnsTheTask()
    {
        var pipeline = FitData.ToKeys(ml).Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(WithInput(Small(), "Tokens")));
        var fitted = pipeline.Fit(FitData.Keys(ml, 300, seed: 4));
        using var model = fitted.LastTransformer;
        var metrics = ml.MulticlassClassification.Evaluate(fitted.Transform(FitData.Keys(ml, 100, seed: 5)));

        Assert.True(metrics.MicroAccuracy >= 0.9, $"test accuracy {metrics.MicroAccuracy}");
        Assert.Null(model.Vocabulary);
        Assert.Equal(["no", "yes"], model.LabelNames.Order());
    }

    [Fact]
    public void Fit_WithAValidationSet_ValidatesEveryEpochOnIt()
    {
        var keys = FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 60, seed: 1));
        var validation = ml.Data.LoadFromEnumerable(new[]
        {
            new FitData.TextRow { Text = "good unseenword", Label = "pos" },
            new FitData.TextRow { Text = "awful", Label = "neg" },
        });
        var options = Small(epochs: 3);
        options.ValidationSet = keys.Transform(validation);

        using var model = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options).Fit(keys.Transform(FitData.Sentiment(ml, 60, seed: 1)));

        Assert.All(model.TrainingResult.History, e => Assert.Contains(e.ValidationAccuracy!.Value, new[] { 0.0, 0.5, 1.0 }));
        Assert.DoesNotContain("unseenword", model.Vocabulary!.Tokens);
    }

    [Fact]
    public void Fit_TwiceWithTheSameSeed_GivesIdenticalScores()
    {
        var data = FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 60, seed: 1)).Transform(FitData.Sentiment(ml, 60, seed: 1));
        float[][] Scores(int seed)
        {
            var options = Small(epochs: 2);
            options.Seed = seed;
            options.Dropout = 0.3;
            using var model = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options).Fit(data);
            return model.Transform(data).GetColumn<float[]>("Score").ToArray();
        }

        var first = Scores(7);
        var second = Scores(7);
        var other = Scores(8);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void GetOutputSchema_NamesAMissingInputColumn()
    {
        var trainer = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(WithInput(Small(), "Sentence"));
        var shape = FitData.Shape(FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 4, 1)).Transform(FitData.Sentiment(ml, 4, 1)).Schema);

        var error = Assert.Throws<ArgumentException>(() => trainer.GetOutputSchema(shape));

        Assert.Contains("Input column 'Sentence' not found", error.Message);
        Assert.Contains("'Text'", error.Message);
    }

    [Fact]
    public void GetOutputSchema_NamesALabelColumnOfTheWrongType()
    {
        var trainer = FitData.LabelToKey(ml).Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(Small()));
        var textLabel = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(Small());
        var shape = FitData.Shape(FitData.Sentiment(ml, 4, 1).Schema);

        var error = Assert.Throws<ArgumentException>(() => textLabel.GetOutputSchema(shape));
        var output = trainer.GetOutputSchema(shape);

        Assert.Contains("Label column 'Label': expected Key<UInt32>", error.Message);
        Assert.Contains("got String", error.Message);
        Assert.True(output.Single(c => c.Name == "PredictedLabel").IsKey);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, output.Single(c => c.Name == "Score").Kind);
        Assert.Contains(output, c => c.Name == "TextTokens");
        Assert.Contains(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").GetOutputSchema(output), c => c.Name == "PredictedName");
    }

    [Fact]
    public void Fit_TokenColumnOfTheWrongType_NamesTheColumnAndTypes()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new FloatRow { Tokens = [1f, 2f], Label = 1 } });
        var trainer = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(WithInput(Small(), "Tokens"));

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data));

        Assert.Contains("Input column 'Tokens': expected String (text) or a vector of Key<UInt32> (token keys), got Vector<Single>", error.Message);
    }

    [Fact]
    public void Create_OptionOutOfRange_NamesTheOption()
    {
        var options = Small();
        options.HiddenSize = 0;

        var error = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options));

        Assert.Contains("HiddenSize: expected at least 1, got 0", error.Message);
    }

    [Fact]
    public void Fit_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var options = Small(epochs: 50);
        options.CancellationToken = cancellation.Token;
        var reports = new SynchronousProgress<TrainingProgress>(_ => cancellation.Cancel());
        options.Progress = reports;
        var pipeline = FitData.LabelToKey(ml).Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options));

        Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Fit(FitData.Sentiment(ml, 400, seed: 1)));
        Assert.Single(reports.Reports);
    }

    [Fact]
    public void Fit_ReportsEveryEpochToTheMlContextLog()
    {
        var messages = new List<string>();
        var context = new MLContext(seed: 1);
        context.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.StartsWith("RnnSequenceClassifier", StringComparison.Ordinal))
                messages.Add(e.Message);
        };
        var options = Small(epochs: 3);
        options.ValidationFraction = 0.25;

        using var model = FitData.LabelToKey(context).Append(context.MulticlassClassification.Trainers.RnnSequenceClassifier(options)).Fit(FitData.Sentiment(context, 40, seed: 1));

        Assert.Equal(3, messages.Count(m => m.Contains("training loss", StringComparison.Ordinal)));
        Assert.Equal(3, messages.Count(m => m.Contains("validation loss", StringComparison.Ordinal)));
        Assert.Contains(messages, m => m.Contains("training on 30, validating on 10", StringComparison.Ordinal));
    }

    private static RnnSequenceClassifierOptions WithInput(RnnSequenceClassifierOptions options, string input)
    {
        options.InputColumnName = input;
        return options;
    }

    private sealed class FloatRow
    {
        [VectorType]
        public float[] Tokens { get; set; } = [];

        [KeyType(2)]
        public uint Label { get; set; }
    }
}
