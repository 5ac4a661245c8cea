using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace MlNetRnn.Training.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class ClassifierTrainerTests
{
    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void Train_SequenceClassification_LearnsWhetherATokenOccurs()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, bidirectional: true);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 12, BatchSize = 16, LearningRate = 0.02 });

        var result = trainer.Train(model, TinyTasks.ContainsFive(300, seed: 1), TinyTasks.ContainsFive(100, seed: 2));

        Assert.True(result.Best.ValidationAccuracy >= 0.9, $"validation accuracy {result.Best.ValidationAccuracy}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 2, "training loss should at least halve");
        Assert.False(model.training);
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void Train_TokenClassification_LearnsPerTokenTags()
    {
        using var model = TinyTasks.Model(RnnTask.TokenClassification, RnnCellType.Gru, classes: 3);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 8, BatchSize = 16, LearningRate = 0.03 });

        var result = trainer.Train(model, TinyTasks.IdModThree(200, seed: 3), TinyTasks.IdModThree(60, seed: 4));

        Assert.True(result.Best.ValidationAccuracy >= 0.98, $"validation accuracy {result.Best.ValidationAccuracy}");
    }

    [Fact]
    public void Train_SameSeed_GivesIdenticalWeightsAndLosses()
    {
        var options = new RnnTrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 0.01, Seed = 17 };
        var train = TinyTasks.ContainsFive(64, seed: 5);
        var validation = TinyTasks.ContainsFive(16, seed: 6);

        (Dictionary<string, float[]> Weights, double[] Losses) Run(RnnTrainingOptions o, bool disturbGenerator = false)
        {
            using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, layers: 2, dropout: 0.3, seed: 9);
            if (disturbGenerator)
                rand(100).Dispose();   // the trainer seeds the generator itself, so this must not matter
            var result = new ClassifierTrainer(o).Train(model, train, validation);
            return (TinyTasks.Weights(model), result.History.SelectMany(e => new[] { e.TrainLoss, e.ValidationLoss!.Value }).ToArray());
        }

        var first = Run(options);
        var second = Run(options, disturbGenerator: true);
        var otherSeed = Run(new RnnTrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 0.01, Seed = 18 });

        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(first.Weights.Keys, second.Weights.Keys);
        foreach (var (name, values) in first.Weights)
            Assert.Equal(values, second.Weights[name]);
        Assert.NotEqual(first.Losses, otherSeed.Losses);
    }

    [Fact]
    public void Train_EarlyStopping_StopsAndRestoresTheBestEpochsWeights()
    {
        // Validation labels are the opposite of the rule learnt from training, so validation loss rises after epoch 1.
        var train = TinyTasks.ContainsFive(200, seed: 7);
        var flipped = TinyTasks.ContainsFive(60, seed: 8).Select(e => new SequenceExample(e.Ids, 1 - e.Label)).ToArray();
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 10, BatchSize = 16, LearningRate = 0.03, EarlyStoppingPatience = 2 });

        var result = trainer.Train(model, train, flipped);

        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + 2, result.History.Count);
        double bestLoss = result.History.Min(e => e.ValidationLoss!.Value);
        Assert.Equal(bestLoss, result.Best.ValidationLoss);
        Assert.True(result.History[^1].ValidationLoss > bestLoss);
        Assert.Equal(bestLoss, RnnEvaluator.Evaluate(model, flipped).Loss, precision: 6);
    }

    [Fact]
    public void Train_Cancelled_ThrowsAndLeavesTheBestWeightsSoFar()
    {
        var train = TinyTasks.ContainsFive(96, seed: 9);
        var validation = TinyTasks.ContainsFive(32, seed: 10);
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.RnnTanh);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 5, BatchSize = 8, LearningRate = 0.01, ProgressInterval = 1 });
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Epoch == 3 && p.Step == 4)
                cancellation.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(model, train, validation, progress, cancellation.Token));

        var validations = progress.Reports.Where(p => p.Phase == TrainingPhase.Validate).ToArray();
        Assert.Equal(2, validations.Length);
        Assert.Equal(4, progress.Reports[^1].Step);
        Assert.Equal(validations.Min(v => v.Loss), RnnEvaluator.Evaluate(model, validation).Loss, precision: 6);
    }

    [Fact]
    public void Train_CancelledAfterABestEpoch_LeavesTheBestWeightsInTheModel()
    {
        var train = TinyTasks.IdModThree(96, seed: 11);
        var validation = TinyTasks.IdModThree(32, seed: 12);
        using var model = TinyTasks.Model(RnnTask.TokenClassification, RnnCellType.Lstm, classes: 3);
        using var cancellation = new CancellationTokenSource();
        Dictionary<string, float[]>? bestWeights = null;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Validate && p.Loss == p.BestValidationLoss)
                bestWeights = TinyTasks.Weights(model);
            if (p.Epoch == 3 && p.Step == 2)
                cancellation.Cancel();
        });
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 5, BatchSize = 8, LearningRate = 0.02, ProgressInterval = 1 });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(model, train, validation, progress, cancellation.Token));

        Assert.Equal(2, progress.Reports.Count(p => p.Phase == TrainingPhase.Validate));
        Assert.NotNull(bestWeights);
        foreach (var (name, values) in TinyTasks.Weights(model))
            Assert.Equal(bestWeights[name], values);
        Assert.False(model.training);
    }

    [Fact]
    public void Train_GradientClipping_BoundsTheUpdateNorm()
    {
        // With plain SGD (no momentum or decay) and a single step, the update is −lr · (clipped gradient).
        var train = TinyTasks.ContainsFive(32, seed: 11);
        const double maxNorm = 1e-3, learningRate = 1.0;

        double UpdateNorm(double? clip)
        {
            using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Lstm);
            var before = TinyTasks.Weights(model);
            var options = new RnnTrainingOptions { Epochs = 1, BatchSize = 32, Optimizer = RnnOptimizer.Sgd, LearningRate = learningRate, MaxGradNorm = clip };
            new ClassifierTrainer(options).Train(model, train, validation: null);
            var after = TinyTasks.Weights(model);
            return Math.Sqrt(before.Sum(kv => kv.Value.Zip(after[kv.Key], (a, b) => (double)(a - b) * (a - b)).Sum()));
        }

        double clipped = UpdateNorm(maxNorm);
        double unclipped = UpdateNorm(null);

        Assert.True(unclipped > 10 * maxNorm * learningRate, $"the test needs a gradient norm well above the clip; got an update of {unclipped}");
        Assert.InRange(clipped, 0.5 * maxNorm * learningRate, 1.001 * maxNorm * learningRate);
    }

    [Fact]
    public void Train_ReportsProgressEveryIntervalAndAfterEachValidation()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 2, BatchSize = 10, ProgressInterval = 3 });
        var progress = new SynchronousProgress<TrainingProgress>(_ => { });

        var result = trainer.Train(model, TinyTasks.ContainsFive(95, seed: 12), TinyTasks.ContainsFive(20, seed: 13), progress);

        // 95 examples in buckets of 500 → 10 batches per epoch; reports at steps 3, 6, 9, then 10 (epoch end), then validation.
        var epochOne = progress.Reports.Where(p => p.Epoch == 1).ToArray();
        Assert.Equal([3, 6, 9, 10, 10], epochOne.Select(p => p.Step));
        Assert.Equal([TrainingPhase.Train, TrainingPhase.Train, TrainingPhase.Train, TrainingPhase.Train, TrainingPhase.Validate], epochOne.Select(p => p.Phase));
        Assert.All(progress.Reports, p =>
        {
            Assert.Equal(2, p.Epochs);
            Assert.Equal(10, p.StepsPerEpoch);
            Assert.True(p.TokensPerSecond > 0 && double.IsFinite(p.Loss) && p.EstimatedRemaining >= TimeSpan.Zero);
        });
        Assert.Equal(result.History[0].TrainLoss, epochOne[3].Loss);
        Assert.Equal(result.History[0].ValidationLoss, epochOne[4].Loss);
        Assert.Equal(result.History[0].ValidationLoss, progress.Reports.Last(p => p.Phase == TrainingPhase.Validate && p.Epoch == 1).BestValidationLoss);
        Assert.Equal(1.0, progress.Reports[^1].Fraction);
    }

    [Fact]
    public void Train_WithoutValidation_KeepsTheLastEpoch()
    {
        using var model = TinyTasks.Model(RnnTask.TokenClassification, RnnCellType.RnnRelu, classes: 3);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 3, BatchSize = 16 });

        var result = trainer.Train(model, TinyTasks.IdModThree(40, seed: 14), validation: null);

        Assert.Equal(3, result.BestEpoch);
        Assert.All(result.History, e => Assert.Null(e.ValidationLoss));
        Assert.False(result.StoppedEarly);
    }

    [Fact]
    public void Train_DivergingLoss_ThrowsNamingTheEpoch()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.RnnRelu);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions
        {
            Epochs = 3, BatchSize = 8, Optimizer = RnnOptimizer.Sgd, LearningRate = 1e30, MaxGradNorm = null,
        });

        var error = Assert.Throws<InvalidOperationException>(() => trainer.Train(model, TinyTasks.ContainsFive(64, seed: 15), validation: null));

        Assert.Contains("diverged", error.Message);
        Assert.Contains("epoch 1", error.Message);
    }

    [Fact]
    public void Train_RejectsAModelForAnotherTask()
    {
        using var model = TinyTasks.Model(RnnTask.TokenClassification, classes: 2);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions());

        var error = Assert.Throws<ArgumentException>(() => trainer.Train(model, TinyTasks.ContainsFive(4, seed: 1), validation: null));

        Assert.Contains("Task = SequenceClassification", error.Message);
        Assert.Contains("Task = TokenClassification", error.Message);
    }

    [Fact]
    public void Train_RejectsIdsAndLabelsOutsideTheModel()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions());

        var badId = Assert.Throws<ArgumentException>(() => trainer.Train(model, [new SequenceExample([2, 12], 0)], validation: null));
        Assert.Contains("train[0]", badId.Message);
        Assert.Contains("got 12 at position 1", badId.Message);
        var badLabel = Assert.Throws<ArgumentException>(() => trainer.Train(model, [new SequenceExample([2], 0)], [new SequenceExample([2], 2)]));
        Assert.Contains("validation[0]", badLabel.Message);
    }
}
