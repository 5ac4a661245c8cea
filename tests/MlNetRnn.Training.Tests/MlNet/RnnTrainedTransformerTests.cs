using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms;
using Xunit;

namespace MlNetRnn.Training.Tests.MlNet;

[Collection(TorchCollection.Name)]
public sealed class RnnTrainedTransformerTests
{
    private readonly MLContext ml = new(seed: 1);

    [Fact]
    public void SaveAndLoad_AfterFit_GiveIdenticalScores()
    {
        var data = FitData.Sentiment(ml, 60, seed: 1);
        var test = FitData.Sentiment(ml, 30, seed: 2);
        var model = FitData.LabelToKey(ml).Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(RnnSequenceClassifierTrainerTests.Small(epochs: 2))).Fit(data);
        var expected = model.Transform(test).GetColumn<float[]>("Score").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"mlnetrnn-fit-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            model.LastTransformer.Dispose();

            using var fast = ml.Model.LoadWithRnnFastPath(path, out var schema);
            var plain = ml.Model.Load(path, out _);

            Assert.Equal(expected, fast.Transform(test).GetColumn<float[]>("Score").ToArray());
            Assert.Equal(expected, plain.Transform(test).GetColumn<float[]>("Score").ToArray());
            Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GetOnnxModel_ScoresRawTextLikeTheTrainedTransformer()
    {
        var data = FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 40, seed: 1)).Transform(FitData.Sentiment(ml, 40, seed: 1));
        using var model = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(RnnSequenceClassifierTrainerTests.Small(epochs: 1)).Fit(data);

        var scorer = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = model.GetOnnxModel(), InputColumnName = "Text" }).Fit(data);

        Assert.Equal(model.Transform(data).GetColumn<float[]>("Score").ToArray(), scorer.Transform(data).GetColumn<float[]>("Score").ToArray());
        scorer.LastTransformer.Dispose();
    }

    [Fact]
    public void Dispose_TwiceIsHarmless_AndTransformAfterwardsThrows()
    {
        var data = FitData.LabelToKey(ml).Fit(FitData.Sentiment(ml, 20, seed: 1)).Transform(FitData.Sentiment(ml, 20, seed: 1));
        var model = ml.MulticlassClassification.Trainers.RnnSequenceClassifier(RnnSequenceClassifierTrainerTests.Small(epochs: 1)).Fit(data);

        model.Dispose();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.Transform(data));
    }
}
