using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Xunit;

namespace MlNetRnn.Training.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class RnnEvaluatorTests
{
    [Theory]
    [InlineData(RnnCellType.RnnTanh)]
    [InlineData(RnnCellType.RnnRelu)]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    public void Evaluate_SequenceClassification_DoesNotDependOnBatchCompanionsOrPadding(RnnCellType cell)
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, cell, layers: 2, bidirectional: true);
        var examples = TinyTasks.ContainsFive(50, seed: 1);

        var alone = RnnEvaluator.Evaluate(model, examples, batchSize: 1);
        var batched = RnnEvaluator.Evaluate(model, examples, batchSize: 64);

        Assert.Equal(alone.Loss, batched.Loss, tolerance: 1e-5);
        Assert.Equal(alone.Accuracy, batched.Accuracy);
        Assert.Equal(50, batched.Count);
    }

    [Theory]
    [InlineData(RnnCellType.RnnTanh)]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    public void Evaluate_TokenClassification_CountsOnlyRealTokensAndDoesNotDependOnBatching(RnnCellType cell)
    {
        using var model = TinyTasks.Model(RnnTask.TokenClassification, cell, classes: 3, layers: 2, bidirectional: true);
        var examples = TinyTasks.IdModThree(40, seed: 2);

        var alone = RnnEvaluator.Evaluate(model, examples, batchSize: 1);
        var batched = RnnEvaluator.Evaluate(model, examples, batchSize: 64);

        Assert.Equal(examples.Sum(e => e.Ids.Length), batched.Count);
        Assert.Equal(alone.Loss, batched.Loss, tolerance: 1e-5);
        Assert.Equal(alone.Accuracy, batched.Accuracy);
    }

    [Fact]
    public void EvaluateLanguageModel_CarriesTheStateSoChunkLengthDoesNotMatter()
    {
        int[] stream = TinyTasks.SentenceSoup(300, seed: 3).Select(c => 2 + c % 10).ToArray();
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.Lstm, layers: 2);

        var oneStep = RnnEvaluator.EvaluateLanguageModel(model, stream, batchSize: 2, chunkLength: 1);
        var whole = RnnEvaluator.EvaluateLanguageModel(model, stream, batchSize: 2, chunkLength: 500);

        Assert.Equal(298, whole.Count);
        Assert.Equal(whole.Loss, oneStep.Loss, tolerance: 1e-5);
        Assert.Equal(Math.Exp(whole.Loss), whole.Perplexity, tolerance: 1e-9);
    }

    [Fact]
    public void Evaluate_RestoresTheModelsTrainingMode()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, dropout: 0.5);
        model.train();

        RnnEvaluator.Evaluate(model, TinyTasks.ContainsFive(5, seed: 4));

        Assert.True(model.training);
    }

    [Fact]
    public void Evaluate_UsesNoDropout()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, layers: 2, dropout: 0.5);
        model.train();
        var examples = TinyTasks.ContainsFive(20, seed: 5);

        Assert.Equal(RnnEvaluator.Evaluate(model, examples).Loss, RnnEvaluator.Evaluate(model, examples).Loss);
    }
}
