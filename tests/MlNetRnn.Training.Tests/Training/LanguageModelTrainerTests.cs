using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Xunit;

namespace MlNetRnn.Training.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class LanguageModelTrainerTests
{
    [Fact]
    public void Train_LossInNatsPerTokenFallsWellBelowTheUnigramEntropy()
    {
        string trainText = TinyTasks.SentenceSoup(6000, seed: 1), validationText = TinyTasks.SentenceSoup(1200, seed: 2);
        var vocabulary = Vocabulary.BuildCharacterLevel([trainText]);
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.Lstm, vocabSize: vocabulary.Count, hidden: 32);
        var trainer = new LanguageModelTrainer(new RnnTrainingOptions { Epochs = 4, BatchSize = 8, ChunkLength = 25, LearningRate = 0.01 });

        var result = trainer.Train(model, vocabulary.Encode(trainText), vocabulary.Encode(validationText));

        double unigram = UnigramEntropy(vocabulary.Encode(validationText));
        Assert.True(result.Best.ValidationLoss < 0.6 * unigram, $"validation {result.Best.ValidationLoss} nats/char vs unigram {unigram}");
        Assert.True(result.History[^1].TrainLoss < 0.6 * result.History[0].TrainLoss, "training loss should fall");
        Assert.True(result.Best.ValidationAccuracy > 0.5, $"next-character accuracy {result.Best.ValidationAccuracy}");
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void Train_EqualsAHandWrittenLoopThatCarriesTheDetachedStateAcrossChunks(RnnCellType cell)
    {
        int[] stream = TinyTasks.SentenceSoup(900, seed: 3).Select(c => 2 + c % 10).ToArray();
        const int B = 4, K = 10;
        const double learningRate = 0.01, maxNorm = 0.5;
        var options = new RnnTrainingOptions { Epochs = 1, BatchSize = B, ChunkLength = K, LearningRate = learningRate, MaxGradNorm = maxNorm };

        using var trained = TinyTasks.Model(RnnTask.LanguageModel, cell, layers: 2, seed: 4);
        new LanguageModelTrainer(options).Train(trained, stream, validation: null);
        var carried = ReferenceLoop(stream, cell, B, K, learningRate, maxNorm, carryState: true);
        var reset = ReferenceLoop(stream, cell, B, K, learningRate, maxNorm, carryState: false);

        var weights = TinyTasks.Weights(trained);
        Assert.True(MaxDifference(weights, carried) < 1e-6, $"trainer vs reference loop: {MaxDifference(weights, carried)}");
        Assert.True(MaxDifference(weights, reset) > 1e-4, "the test must tell a carried state from a reset one");
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void Train_SameSeed_GivesIdenticalWeightsAndLosses()
    {
        int[] train = TinyTasks.SentenceSoup(800, seed: 5).Select(c => 2 + c % 10).ToArray();
        int[] validation = TinyTasks.SentenceSoup(200, seed: 6).Select(c => 2 + c % 10).ToArray();

        (Dictionary<string, float[]> Weights, double[] Losses) Run(bool disturbGenerator)
        {
            using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.Gru, layers: 2, dropout: 0.4, seed: 7);
            if (disturbGenerator)
                rand(100).Dispose();   // the trainer seeds the generator itself, so this must not matter
            var options = new RnnTrainingOptions { Epochs = 2, BatchSize = 4, ChunkLength = 16, Seed = 8 };
            var result = new LanguageModelTrainer(options).Train(model, train, validation);
            return (TinyTasks.Weights(model), result.History.SelectMany(e => new[] { e.TrainLoss, e.ValidationLoss!.Value }).ToArray());
        }

        var first = Run(disturbGenerator: false);
        var second = Run(disturbGenerator: true);

        Assert.Equal(first.Losses, second.Losses);
        foreach (var (name, values) in first.Weights)
            Assert.Equal(values, second.Weights[name]);
    }

    [Fact]
    public void Train_Cancelled_ThrowsAndLeavesTheModelInEvaluationMode()
    {
        int[] train = TinyTasks.SentenceSoup(800, seed: 9).Select(c => 2 + c % 10).ToArray();
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.RnnTanh);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Step == 2)
                cancellation.Cancel();
        });
        var trainer = new LanguageModelTrainer(new RnnTrainingOptions { Epochs = 3, BatchSize = 4, ChunkLength = 10, ProgressInterval = 1 });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(model, train, train, progress, cancellation.Token));

        Assert.Equal(2, progress.Reports.Count);
        Assert.False(model.training);
    }

    [Fact]
    public void Train_CancelledAfterABestEpoch_LeavesTheBestWeightsInTheModel()
    {
        int[] train = TinyTasks.SentenceSoup(800, seed: 9).Select(c => 2 + c % 10).ToArray();
        int[] validation = TinyTasks.SentenceSoup(200, seed: 10).Select(c => 2 + c % 10).ToArray();
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.Gru);
        using var cancellation = new CancellationTokenSource();
        Dictionary<string, float[]>? bestWeights = null;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Validate && p.Loss == p.BestValidationLoss)
                bestWeights = TinyTasks.Weights(model);
            if (p.Epoch == 3 && p.Step == 2)
                cancellation.Cancel();
        });
        var trainer = new LanguageModelTrainer(new RnnTrainingOptions { Epochs = 5, BatchSize = 4, ChunkLength = 10, LearningRate = 0.02, ProgressInterval = 1 });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(model, train, validation, progress, cancellation.Token));

        Assert.Equal(2, progress.Reports.Count(p => p.Phase == TrainingPhase.Validate));
        Assert.NotNull(bestWeights);
        foreach (var (name, values) in TinyTasks.Weights(model))
            Assert.Equal(bestWeights[name], values);
        Assert.False(model.training);
    }

    [Fact]
    public void Train_ReportsTokensPerChunk()
    {
        int[] train = Enumerable.Range(0, 402).Select(i => 2 + i % 10).ToArray();
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.Gru);
        var progress = new SynchronousProgress<TrainingProgress>(_ => { });
        var trainer = new LanguageModelTrainer(new RnnTrainingOptions { Epochs = 1, BatchSize = 4, ChunkLength = 30, ProgressInterval = 1 });

        trainer.Train(model, train, validation: null, progress);

        // 402 ids → 4 columns of 100 → 99 predicted steps → chunks of 30, 30, 30, 9.
        Assert.Equal([1, 2, 3, 4], progress.Reports.Select(p => p.Step));
        Assert.All(progress.Reports, p => Assert.Equal(4, p.StepsPerEpoch));
    }

    [Fact]
    public void Train_RejectsIdsOutsideTheVocabularyAndTooShortStreams()
    {
        using var model = TinyTasks.Model(RnnTask.LanguageModel);
        var trainer = new LanguageModelTrainer(new RnnTrainingOptions { BatchSize = 4 });

        var badId = Assert.Throws<ArgumentException>(() => trainer.Train(model, [2, 3, 40, 5, 6, 7, 8, 9], validation: null));
        Assert.Contains("got 40 at position 2", badId.Message);
        var tooShort = Assert.Throws<ArgumentException>(() => trainer.Train(model, [2, 3, 4], validation: null));
        Assert.Contains("at least 2 × batch size = 8", tooShort.Message);
    }

    private static Dictionary<string, float[]> ReferenceLoop(int[] stream, RnnCellType cell, int B, int K, double learningRate, double maxNorm, bool carryState)
    {
        using var model = TinyTasks.Model(RnnTask.LanguageModel, cell, layers: 2, seed: 4);
        model.train();
        var parameters = model.parameters().ToArray();
        using var optimizer = optim.Adam(parameters, learningRate);
        int rows = stream.Length / B, V = model.Config.VocabSize;
        Tensor? h = null, c = null;
        for (int start = 0; start < rows - 1; start += K)
        {
            using var scope = NewDisposeScope();
            int k = Math.Min(K, rows - 1 - start);
            var x = new long[k * B];
            var y = new long[k * B];
            for (int t = 0; t < k; t++)
            {
                for (int b = 0; b < B; b++)
                {
                    x[t * B + b] = stream[b * rows + start + t];
                    y[t * B + b] = stream[b * rows + start + t + 1];
                }
            }

            var output = model.forward(tensor(x, [k, B]), full(B, k, ScalarType.Int64), h, c);
            var loss = cross_entropy(output.Logits.reshape(-1, V), tensor(y));
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, maxNorm);
            optimizer.step();
            h?.Dispose();
            c?.Dispose();
            h = carryState ? output.FinalHidden.detach().MoveToOuterDisposeScope() : null;
            c = carryState ? output.FinalCell?.detach().MoveToOuterDisposeScope() : null;
        }

        h?.Dispose();
        c?.Dispose();
        return TinyTasks.Weights(model);
    }

    private static double MaxDifference(Dictionary<string, float[]> a, Dictionary<string, float[]> b) =>
        a.Max(kv => kv.Value.Zip(b[kv.Key], (x, y) => (double)Math.Abs(x - y)).Max());

    private static double UnigramEntropy(int[] ids) =>
        -ids.GroupBy(id => id).Sum(g => (double)g.Count() / ids.Length * Math.Log((double)g.Count() / ids.Length));
}
