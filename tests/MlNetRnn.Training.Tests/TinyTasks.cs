using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Tests;

/// <summary>Tiny seeded data sets and models for training tests.</summary>
internal static class TinyTasks
{
    public const int VocabSize = 12;

    /// <summary>Sequences of ids 2…11 of length 0…10; label 1 when id 5 occurs, else 0.</summary>
    public static SequenceExample[] ContainsFive(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new SequenceExample[count];
        for (int i = 0; i < count; i++)
        {
            var ids = new int[random.Next(0, 11)];
            for (int t = 0; t < ids.Length; t++)
                ids[t] = random.Next(2, VocabSize);
            examples[i] = new SequenceExample(ids, ids.Contains(5) ? 1 : 0);
        }

        return examples;
    }

    /// <summary>Sequences of ids 2…11 of length 0…10, each token tagged with its id mod 3.</summary>
    public static TaggedSequence[] IdModThree(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new TaggedSequence[count];
        for (int i = 0; i < count; i++)
        {
            var ids = new int[random.Next(0, 11)];
            for (int t = 0; t < ids.Length; t++)
                ids[t] = random.Next(2, VocabSize);
            examples[i] = new TaggedSequence(ids, ids.Select(id => id % 3).ToArray());
        }

        return examples;
    }

    /// <summary>Text made of random picks from a few short sentences, so most characters are predictable from context.</summary>
    public static string SentenceSoup(int length, int seed)
    {
        string[] sentences = ["the cat sat. ", "a dog ran far. ", "the cat ran. ", "we sat on a mat. "];
        var random = new Random(seed);
        var text = new System.Text.StringBuilder(length + 20);
        while (text.Length < length)
            text.Append(sentences[random.Next(sentences.Length)]);
        return text.ToString(0, length);
    }

    public static RnnSequenceModel Model(RnnTask task, RnnCellType cell = RnnCellType.Lstm, int vocabSize = VocabSize, int classes = 2,
        int layers = 1, bool bidirectional = false, double dropout = 0.0, int hidden = 16, long seed = 1)
    {
        manual_seed(seed);
        return new RnnSequenceModel(new RnnModelConfig(task, cell, vocabSize, EmbeddingDim: 8, HiddenSize: hidden, NumLayers: layers,
            Bidirectional: bidirectional, Dropout: dropout, NumClasses: task == RnnTask.LanguageModel ? 0 : classes));
    }

    /// <summary>CPU copies of all weights, by name.</summary>
    public static Dictionary<string, float[]> Weights(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().data<float>().ToArray());
}
