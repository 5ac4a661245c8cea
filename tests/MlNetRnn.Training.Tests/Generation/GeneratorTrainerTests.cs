using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MlNetRnn.Training.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class GeneratorTrainerTests(ITestOutputHelper output)
{
    private const int Symbols = 6;

    /// <summary>Reverse a sequence of 3–6 symbols: source ids 2..7, target ids 3..8 (the same symbol).</summary>
    private static SequencePair[] ReverseTask(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int[] source = Enumerable.Range(0, random.Next(3, 7)).Select(_ => 2 + random.Next(Symbols)).ToArray();
            return new SequencePair(source, source.Reverse().Select(s => s + 1).ToArray());
        }).ToArray();
    }

    private static EncoderDecoderModel ReverseModel()
    {
        torch.manual_seed(5);
        return new EncoderDecoderModel(new EncoderDecoderConfig(RnnCellType.Gru, SourceVocabSize: 2 + Symbols, TargetVocabSize: 3 + Symbols,
            EmbeddingDim: 16, HiddenSize: 48, Bidirectional: true, Attention: true));
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void Train_LearnsToReverseShortSequences()
    {
        var train = ReverseTask(1500, seed: 1);
        var test = ReverseTask(200, seed: 2);
        using var model = ReverseModel();
        var trainer = new GeneratorTrainer(new RnnTrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 0.01, LearningRateDecay = 0.8 });

        var result = trainer.Train(model, train, test.Take(100).ToArray());
        var decoded = GeneratorSearch.Greedy(model, test.Select(p => p.Source).ToArray(), maxLength: 10);
        double exact = test.Zip(decoded).Count(x => x.First.Target.SequenceEqual(x.Second.Tokens)) / (double)test.Length;

        output.WriteLine($"{result.Elapsed.TotalSeconds:F1} s, best epoch {result.BestEpoch}, validation loss {result.Best.ValidationLoss:F4}, exact {exact:P1}");
        Assert.True(exact >= 0.9, $"exact-match rate {exact:P1}");
        Assert.False(model.training);

        // The trained model's package decodes the same: its distributions are sharp, unlike the untrained parity fixtures'.
        var source = Vocabulary.FromTokens([Vocabulary.PadToken, Vocabulary.UnkToken, .. "abcdef".Select(c => c.ToString())], new TokenizationSettings(TokenizationLevel.Character, lowercase: false));
        byte[] package = GeneratorExporter.Export(model, source, TargetVocabulary.FromTokens("ABCDEF".Select(c => c.ToString()), ""));
        var report = GeneratorParity.Verify(model, package, test.Take(50).Select(p => p.Source).ToArray(), maxLength: 10);
        output.WriteLine(report.ToString());
        Assert.True(report.MaxAbsDifferenceAnyOutput <= 1e-5, report.ToString());
        Assert.Equal(0, report.LabelMismatches);
    }

    [Fact]
    public void Train_CancelledAfterABestEpoch_LeavesTheBestWeightsInTheModel()
    {
        var train = ReverseTask(64, seed: 3);
        var validation = ReverseTask(16, seed: 4);
        using var model = ReverseModel();
        using var cancellation = new CancellationTokenSource();
        Dictionary<string, float[]>? bestWeights = null;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Validate && p.Loss == p.BestValidationLoss)
                bestWeights = TinyTasks.Weights(model);
            if (p.Epoch == 3 && p.Step == 1)
                cancellation.Cancel();
        });
        var trainer = new GeneratorTrainer(new RnnTrainingOptions { Epochs = 5, BatchSize = 16, LearningRate = 0.01, ProgressInterval = 1 });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(model, train, validation, progress, cancellation.Token));

        Assert.Equal(2, progress.Reports.Count(p => p.Phase == TrainingPhase.Validate));
        Assert.NotNull(bestWeights);
        foreach (var (name, values) in TinyTasks.Weights(model))
            Assert.Equal(bestWeights[name], values);
        Assert.False(model.training);
        var best = progress.Reports.Where(p => p.Phase == TrainingPhase.Validate).Min(p => p.Loss);
        Assert.Equal(best, GeneratorTrainer.Evaluate(model, validation).Loss, 1e-5);
    }

    [Fact]
    public void Train_Conditioned_LowersTheLossOfTheTrueCondition()
    {
        // Class 0 → "3 4 5", class 1 → "6 7": after training the true condition explains its sequence better than the swapped one.
        var data = Enumerable.Range(0, 32).Select(i => new ConditionedSequence(ConditionedSequence.OneHot(i % 2, 2), i % 2 == 0 ? [3, 4, 5] : [6, 7])).ToArray();
        var swapped = data.Select(d => d with { Condition = [d.Condition[1], d.Condition[0]] }).ToArray();
        torch.manual_seed(3);
        using var model = new ConditionedGeneratorModel(new ConditionedGeneratorConfig(RnnCellType.Lstm, 2, 9, 8, 16, ConditionAtFirstStep: true));
        var trainer = new GeneratorTrainer(new RnnTrainingOptions { Epochs = 15, BatchSize = 8, LearningRate = 0.02 });

        var result = trainer.Train(model, data, data);

        double trueLoss = GeneratorTrainer.Evaluate(model, data).Loss, swappedLoss = GeneratorTrainer.Evaluate(model, swapped).Loss;
        output.WriteLine($"true {trueLoss:F4}, swapped {swappedLoss:F4}");
        Assert.True(trueLoss < 0.1 && swappedLoss > 1.0, $"true {trueLoss}, swapped {swappedLoss}");
        Assert.Equal(result.Best.ValidationLoss!.Value, trueLoss, 1e-5);
    }

    [Fact]
    public void Train_TargetWithSpecialIds_NamesTheExample()
    {
        using var model = ReverseModel();
        var trainer = new GeneratorTrainer(new RnnTrainingOptions { Epochs = 1 });

        var error = Assert.Throws<ArgumentException>(() => trainer.Train(model, [new SequencePair([2], [3]), new SequencePair([2], [3, TargetVocabulary.EosId])], null));

        Assert.Contains("train[1]", error.Message);
        Assert.Contains("position 1", error.Message);
    }
}
