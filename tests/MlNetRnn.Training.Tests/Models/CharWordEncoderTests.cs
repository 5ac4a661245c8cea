using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Tests.Export;
using MlNetRnn.Training.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Tests.Models;

/// <summary>The character encoder inside <see cref="RnnSequenceModel"/>, its word dropout and its training.</summary>
[Collection(TorchCollection.Name)]
public sealed class CharWordEncoderTests
{
    private static Tensor Logits(RnnSequenceModel model, long[] ids, long[][] words, int T, int W)
    {
        var idsT = new long[T];
        var charIds = new long[T * W];
        var charLengths = new long[T];
        for (int t = 0; t < ids.Length; t++)
        {
            idsT[t] = ids[t];
            charLengths[t] = words[t].Length;
            for (int k = 0; k < words[t].Length; k++)
                charIds[t * W + k] = words[t][k];
        }
        using var _ = no_grad();
        return model.forward(tensor(idsT, [T, 1]), tensor(new long[] { ids.Length }), (tensor(charIds, [T, 1, W]), tensor(charLengths, [T, 1]))).Logits;
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    [InlineData(RnnCellType.RnnTanh)]
    public void Forward_WordAndCharacterPadding_DoNotChangeTheLogits(RnnCellType cell)
    {
        using var model = ExportFixtures.CharModel(cell, bidirectional: true);
        long[] ids = [3, 7, 9];
        long[][] words = [[1, 2], [3, 4, 5], [6]];

        using var tight = Logits(model, ids, words, T: 3, W: 3);
        using var padded = Logits(model, ids, words, T: 5, W: 9);

        Assert.True(tight.allclose(padded[..3], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_CharactersChangeTheResult()
    {
        using var model = ExportFixtures.CharModel(RnnCellType.Gru, bidirectional: true);

        using var a = Logits(model, [3, 7], [[1, 2], [3]], T: 2, W: 2);
        using var b = Logits(model, [3, 7], [[1, 2], [4]], T: 2, W: 2);

        Assert.False(a.allclose(b, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Forward_WithoutCharacters_ThrowsNamingTheOverload()
    {
        using var model = ExportFixtures.CharModel(RnnCellType.Gru, bidirectional: true);

        var error = Assert.Throws<ArgumentException>(() => model.forward(zeros(2, 1, ScalarType.Int64), tensor(new long[] { 2 })));

        Assert.Contains("charIds, charLengths", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WordDropout_TrainsTheUnknownWordEmbedding()
    {
        // No word in the data is unknown, so only word dropout can give the unknown embedding a gradient.
        float UnknownGradient(double wordDropout)
        {
            torch.manual_seed(3);
            using var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.TokenClassification, RnnCellType.Gru, 10, 4, 5,
                NumClasses: 2, CharVocabSize: 6, CharEmbeddingDim: 3, CharHiddenSize: 3, WordDropout: wordDropout));
            model.train();
            var ids = tensor(Enumerable.Range(0, 40).Select(i => (long)(2 + i % 8)).ToArray(), [40, 1]);
            var chars = (ones(40, 1, 2, ScalarType.Int64), full(40, 1, 2L, ScalarType.Int64));
            model.forward(ids, tensor(new long[] { 40 }), chars).Logits.sum().backward();
            var gradient = model.named_parameters().Single(p => p.name == "embedding.weight").parameter.grad!;
            return gradient[Vocabulary.UnkId].abs().sum().item<float>();
        }

        Assert.Equal(0f, UnknownGradient(0.0));
        Assert.True(UnknownGradient(0.5) > 0f);
    }

    [Fact]
    public void Train_LearnsTagsThatOnlyTheCharactersReveal()
    {
        // Every word id is unknown; the tag is whether the word's first character is "upper case" (ids 2..4 vs 5..7).
        static TaggedSequence[] Data(int count, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, count).Select(_ =>
            {
                int n = random.Next(1, 8);
                var chars = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(2, 8)).ToArray()).ToArray();
                return new TaggedSequence(Enumerable.Repeat(Vocabulary.UnkId, n).ToArray(), chars, chars.Select(w => w[0] < 5 ? 1 : 0).ToArray());
            }).ToArray();
        }
        torch.manual_seed(1);
        using var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.TokenClassification, RnnCellType.Lstm, 4, 4, 8, Bidirectional: true,
            NumClasses: 2, CharVocabSize: 8, CharEmbeddingDim: 4, CharHiddenSize: 6, WordDropout: 0.1, EmbeddingDropout: 0.1));
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 6, BatchSize = 16, LearningRate = 0.02, Seed = 2 });

        var result = trainer.Train(model, Data(200, seed: 1), Data(60, seed: 2));

        Assert.True(result.Best.ValidationAccuracy >= 0.95, $"validation accuracy {result.Best.ValidationAccuracy}");
        Assert.Equal(result.Best.ValidationAccuracy!.Value, RnnEvaluator.Evaluate(model, Data(60, seed: 2)).Accuracy, 6);
    }

    [Fact]
    public void Train_ExamplesWithoutCharacters_ThrowNamingTheExample()
    {
        using var model = ExportFixtures.CharModel(RnnCellType.Gru, bidirectional: false);
        var trainer = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 1 });

        var error = Assert.Throws<ArgumentException>(() => trainer.Train(model, [new TaggedSequence([2, 3], [0, 1])], null));

        Assert.Contains("train[0]", error.Message, StringComparison.Ordinal);
    }
}
