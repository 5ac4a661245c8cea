using MlNetRnn.Training.Models;
using TorchSharp;

namespace MlNetRnn.Training.Tests.Export;

/// <summary>Tiny seeded models and random variable-length batches for the export tests.</summary>
internal static class ExportFixtures
{
    internal const int VocabSize = 30, EmbeddingDim = 8, HiddenSize = 12, Classes = 3;

    internal static RnnSequenceModel Model(RnnTask task, RnnCellType cell, int layers, bool bidirectional, int seed = 11)
    {
        torch.manual_seed(seed);
        var config = new RnnModelConfig(task, cell, VocabSize, EmbeddingDim, HiddenSize, layers, bidirectional,
            Dropout: layers > 1 ? 0.3 : 0.0, NumClasses: task == RnnTask.LanguageModel ? 0 : Classes);
        var model = new RnnSequenceModel(config);
        model.eval();
        return model;
    }

    internal const int CharVocabSize = 12, CharEmbeddingDim = 5, CharHiddenSize = 6;

    /// <summary>A tagger with a character encoder of the same cell.</summary>
    internal static RnnSequenceModel CharModel(RnnCellType cell, bool bidirectional, int seed = 11)
    {
        torch.manual_seed(seed);
        var config = new RnnModelConfig(RnnTask.TokenClassification, cell, VocabSize, EmbeddingDim, HiddenSize, 1, bidirectional,
            NumClasses: Classes, CharVocabSize: CharVocabSize, CharEmbeddingDim: CharEmbeddingDim, CharHiddenSize: CharHiddenSize,
            WordDropout: 0.2, EmbeddingDropout: 0.2);
        var model = new RnnSequenceModel(config);
        model.eval();
        return model;
    }

    /// <summary>Character ids (1..CharVocabSize−1, lengths 1..maxWordLength) for every word of <paramref name="sequences"/>.</summary>
    internal static int[][][] Characters(int[][] sequences, int maxWordLength, int seed)
    {
        var random = new Random(seed);
        return sequences.Select(words => words.Select(_ =>
            Enumerable.Range(0, random.Next(1, maxWordLength + 1)).Select(_ => random.Next(1, CharVocabSize)).ToArray()).ToArray()).ToArray();
    }

    /// <summary>Unsorted sequences with lengths 1..maxLength, always including 1 and maxLength; ids avoid the pad id.</summary>
    internal static int[][] Sequences(int count, int maxLength, int seed)
    {
        var random = new Random(seed);
        var result = new int[count][];
        for (int i = 0; i < count; i++)
        {
            int length = i == 0 ? 1 : i == count / 2 ? maxLength : random.Next(1, maxLength + 1);
            result[i] = Enumerable.Range(0, length).Select(_ => random.Next(1, VocabSize)).ToArray();
        }
        return result;
    }
}
