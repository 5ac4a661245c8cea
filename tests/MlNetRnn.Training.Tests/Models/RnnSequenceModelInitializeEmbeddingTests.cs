using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Xunit;

namespace MlNetRnn.Training.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class RnnSequenceModelInitializeEmbeddingTests
{
    // Ids 0…11 as TinyTasks uses them: padding, unknown, then "w2"…"w11"; vectors for w2…w6 and "w7" cased differently.
    private static readonly string[] Tokens = [Vocabulary.PadToken, Vocabulary.UnkToken, .. Enumerable.Range(2, 10).Select(i => i == 7 ? "W7" : $"w{i}")];

    private static WordVectors Vectors(int dimensions = 8) =>
        new(dimensions, new[] { 2, 3, 4, 5, 6, 7 }.Select(i => KeyValuePair.Create($"w{i}", Enumerable.Range(0, dimensions).Select(d => i + d / 10f).ToArray())));

    private static float[] Row(RnnSequenceModel model, int id) => TinyTasks.Weights(model)["embedding.weight"].Skip(id * 8).Take(8).ToArray();

    [Fact]
    public void InitializeEmbedding_SetsTheRowsOfWordsWithVectors_LowercasedIfNeeded_AndKeepsPaddingZero()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru);
        var vectors = Vectors();

        int found = model.InitializeEmbedding(Tokens, vectors, freeze: false);

        Assert.Equal(6, found);
        foreach (int id in new[] { 2, 3, 4, 5, 6, 7 })
        {
            vectors.TryGetVector($"w{id}", out var expected);
            Assert.Equal(expected.ToArray(), Row(model, id));
        }
        Assert.All(Row(model, Vocabulary.PadId), v => Assert.Equal(0f, v));
        Assert.True(model.parameters().First().requires_grad);
    }

    [Fact]
    public void InitializeEmbedding_Frozen_StaysEqualDuringTraining_WhileTheRestLearns()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru);
        model.InitializeEmbedding(Tokens, Vectors(), freeze: true);
        var before = TinyTasks.Weights(model);

        new ClassifierTrainer(new RnnTrainingOptions { Epochs = 1, BatchSize = 8, LearningRate = 0.05, Seed = 1 })
            .Train(model, TinyTasks.ContainsFive(32, seed: 1), validation: null);
        var after = TinyTasks.Weights(model);

        Assert.Equal(before["embedding.weight"], after["embedding.weight"]);
        Assert.NotEqual(before["head.weight"], after["head.weight"]);
        Assert.NotEqual(before["rnn.weight_ih_l0"], after["rnn.weight_ih_l0"]);
    }

    [Fact]
    public void InitializeEmbedding_FineTuned_ChangesDuringTraining()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru);
        model.InitializeEmbedding(Tokens, Vectors(), freeze: false);
        var before = TinyTasks.Weights(model)["embedding.weight"];

        new ClassifierTrainer(new RnnTrainingOptions { Epochs = 1, BatchSize = 8, LearningRate = 0.05, Seed = 1 })
            .Train(model, TinyTasks.ContainsFive(32, seed: 1), validation: null);

        Assert.NotEqual(before, TinyTasks.Weights(model)["embedding.weight"]);
    }

    [Fact]
    public void InitializeEmbedding_VectorsOfAnotherSize_IsAnErrorNamingBothSizes()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru);

        var e = Assert.Throws<ArgumentException>(() => model.InitializeEmbedding(Tokens, Vectors(dimensions: 5), freeze: false));

        Assert.Contains("Pretrained word vectors have 5 dimensions, but the model's embedding has 8 (EmbeddingDim)", e.Message);
    }

    [Fact]
    public void InitializeEmbedding_ATokenCountOtherThanTheVocabularySize_IsAnError()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru);

        var e = Assert.Throws<ArgumentException>(() => model.InitializeEmbedding(Tokens[..5], Vectors(), freeze: false));

        Assert.Contains("expected one per id (12, the VocabSize), got 5", e.Message);
    }
}
