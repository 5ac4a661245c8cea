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
