using MlNetRnn.Training.Analysis;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Xunit;

namespace MlNetRnn.Training.Tests.Analysis;

[Collection(TorchCollection.Name)]
public sealed class RecurrentInitializationTests
{
    [Fact]
    public void ScaleRecurrentWeights_ScalesOnlyWeightHh()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru, layers: 2);
        var before = TinyTasks.Weights(model);

        RecurrentInitialization.ScaleRecurrentWeights(model, 3.0);

        foreach (var (name, after) in TinyTasks.Weights(model))
        {
            float factor = name.StartsWith("rnn.weight_hh_", StringComparison.Ordinal) ? 3f : 1f;
            Assert.Equal(before[name].Select(w => w * factor), after);
        }
    }

    [Theory]
    [InlineData(RnnCellType.Lstm, 4)]
    [InlineData(RnnCellType.Gru, 3)]
    public void SetKeepGateBias_SetsOnlyTheSecondGatesRows(RnnCellType cell, int gates)
    {
        const int H = 5;
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, cell, layers: 2, bidirectional: true, hidden: H);
        var before = TinyTasks.Weights(model);

        RecurrentInitialization.SetKeepGateBias(model, 3.0);

        foreach (var (name, after) in TinyTasks.Weights(model))
        {
            bool ih = name.StartsWith("rnn.bias_ih_", StringComparison.Ordinal), hh = name.StartsWith("rnn.bias_hh_", StringComparison.Ordinal);
            if (!ih && !hh)
            {
                Assert.Equal(before[name], after);
                continue;
            }

            Assert.Equal(gates * H, after.Length);
            for (int row = 0; row < after.Length; row++)
            {
                float expected = row is >= H and < 2 * H ? (ih ? 3f : 0f) : before[name][row];
                Assert.Equal(expected, after[row]);
            }
        }
    }

    [Fact]
    public void SetKeepGateBias_RejectsVanillaRnn()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.RnnTanh);

        var error = Assert.Throws<ArgumentException>(() => RecurrentInitialization.SetKeepGateBias(model, 1.0));

        Assert.Contains("RnnTanh", error.Message);
    }

    [Fact]
    public void ScaledReluRnn_DivergesWithoutClippingAndStaysFiniteWithIt()
    {
        var task = new FirstTokenMemoryTask(classes: 2, distractors: 6);
        var train = task.Generate(count: 128, length: 30, seed: 1);

        string? diverged = null;
        try
        {
            Train(maxGradNorm: null);
        }
        catch (InvalidOperationException e)
        {
            diverged = e.Message;
        }
        var clipped = Train(maxGradNorm: 1.0);

        Assert.NotNull(diverged);
        Assert.Contains("NaN", diverged);
        Assert.All(clipped.History, e => Assert.True(double.IsFinite(e.TrainLoss), $"epoch {e.Epoch}: {e.TrainLoss}"));

        TrainingResult Train(double? maxGradNorm)
        {
            using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.RnnRelu, vocabSize: task.VocabSize, hidden: 16);
            RecurrentInitialization.ScaleRecurrentWeights(model, 4.0);
            var options = new RnnTrainingOptions { Epochs = 2, BatchSize = 32, Optimizer = RnnOptimizer.Sgd, LearningRate = 0.1, MaxGradNorm = maxGradNorm, ProgressInterval = 1 };
            return new ClassifierTrainer(options).Train(model, train, validation: null);
        }
    }
}
