using MlNetRnn.Training.Data;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using TorchSharp;

namespace MlNetRnn.Training.Tests.Generation;

/// <summary>Tiny seeded generator models, their vocabularies and random sources.</summary>
internal static class GeneratorFixtures
{
    internal const int SourceVocabSize = 12, TargetVocabSize = 11, EmbeddingDim = 6, HiddenSize = 8, ConditionSize = 3;

    internal static EncoderDecoderModel Seq2Seq(RnnCellType cell, bool attention, bool bidirectional, int layers = 1, int seed = 7)
    {
        torch.manual_seed(seed);
        var model = new EncoderDecoderModel(new EncoderDecoderConfig(cell, SourceVocabSize, TargetVocabSize, EmbeddingDim, HiddenSize,
            EncoderLayers: layers, DecoderLayers: layers, Bidirectional: bidirectional, Attention: attention));
        model.eval();
        return model;
    }

    internal static ConditionedGeneratorModel Conditioned(RnnCellType cell, bool conditionAtFirstStep, int conditionSize = ConditionSize, int layers = 1, int seed = 7)
    {
        torch.manual_seed(seed);
        var model = new ConditionedGeneratorModel(new ConditionedGeneratorConfig(cell, conditionSize, TargetVocabSize, EmbeddingDim, HiddenSize,
            NumLayers: layers, ConditionAtFirstStep: conditionAtFirstStep));
        model.eval();
        return model;
    }

    /// <summary>Character vocabulary "a".."j" (ids 2..11 after pad and unknown) matching <see cref="SourceVocabSize"/>.</summary>
    internal static Vocabulary SourceVocabulary() =>
        Vocabulary.FromTokens([Vocabulary.PadToken, Vocabulary.UnkToken, .. "abcdefghij".Select(c => c.ToString())], new TokenizationSettings(TokenizationLevel.Character, lowercase: true));

    /// <summary>Eight ordinary tokens after PAD, BOS and EOS, matching <see cref="TargetVocabSize"/>.</summary>
    internal static TargetVocabulary Targets() => TargetVocabulary.FromTokens("ABCDEFGH".Select(c => c.ToString()), "");

    /// <summary>Unsorted sources with lengths 0..maxLength (always one empty and one of maxLength); ids avoid the pad id.</summary>
    internal static int[][] Sources(int count, int maxLength, int seed)
    {
        var random = new Random(seed);
        var result = new int[count][];
        for (int i = 0; i < count; i++)
        {
            int length = i == 1 ? 0 : i == count / 2 ? maxLength : random.Next(1, maxLength + 1);
            result[i] = Enumerable.Range(0, length).Select(_ => random.Next(1, SourceVocabSize)).ToArray();
        }
        return result;
    }

    /// <summary>Random float conditions.</summary>
    internal static float[][] Conditions(int count, int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }
}
