using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;

namespace MlNetRnn.Transforms.Tests.Fixtures;

/// <summary>Tiny seeded TorchSharp models exported with layer states, and their per-layer states from TorchSharp's probe.</summary>
internal static class LayerStateModels
{
    public const int Vocab = 15;

    /// <summary>The text the character-level language models are built from (its characters are the vocabulary).</summary>
    public const string CharText = "She said \"call me Ishmael\" (twice), and the whale said nothing at all.";

    public static RnnSequenceModel Create(RnnTask task, RnnCellType cell, int layers, bool bidirectional, int vocab = Vocab, int seed = 11)
    {
        manual_seed(seed);
        var model = new RnnSequenceModel(new RnnModelConfig(task, cell, vocab, EmbeddingDim: 6, HiddenSize: 7, NumLayers: layers,
            Bidirectional: bidirectional, NumClasses: task == RnnTask.LanguageModel ? 0 : 4));
        model.eval();
        return model;
    }

    public static byte[] Export(RnnSequenceModel model, Vocabulary? vocabulary = null) =>
        OnnxExporter.Export(model, vocabulary is null
            ? new OnnxExportOptions { IncludeLayerStates = true }
            : new OnnxExportOptions { Vocabulary = vocabulary.Tokens, UnkId = Vocabulary.UnkId, Tokenization = vocabulary.Settings, IncludeLayerStates = true });

    /// <summary>A character-level language model over <see cref="CharText"/>'s characters, and its vocabulary.</summary>
    public static (RnnSequenceModel Model, Vocabulary Vocabulary) CharLanguageModel(RnnCellType cell, int layers)
    {
        var vocabulary = Vocabulary.BuildCharacterLevel([CharText]);
        return (Create(RnnTask.LanguageModel, cell, layers, bidirectional: false, vocab: vocabulary.Count), vocabulary);
    }

    /// <summary>TorchSharp's layer hidden states of each sequence, row-major [token, layer, feature], trimmed to its length.</summary>
    public static List<float[]> TorchLayerStates(RnnSequenceModel model, long[][] sequences)
    {
        int B = sequences.Length, T = Math.Max(1, sequences.Max(s => s.Length));
        var flat = new long[T * B];
        for (int b = 0; b < B; b++)
        {
            for (int t = 0; t < sequences[b].Length; t++)
                flat[(t * B) + b] = sequences[b][t];
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var states = RnnStateProbe.Run(model, tensor(flat, [T, B]), tensor(sequences.Select(s => (long)s.Length).ToArray(), [B]));
        var values = states.Hidden.transpose(0, 1).contiguous().data<float>().ToArray();     // (B, T, L, F)
        int LF = model.Config.NumLayers * model.Config.FeatureSize;
        return [.. sequences.Select((s, b) => values.AsSpan(b * T * LF, s.Length * LF).ToArray())];
    }
}
