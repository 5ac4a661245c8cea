using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using TorchSharp;

namespace MlNetRnn.Benchmarks;

/// <summary>The two scoring workloads of the issue: a compute-bound LSTM and a small GRU where per-call overhead dominates.</summary>
public enum ReferenceModelKind
{
    /// <summary>Vocabulary 5000, embedding 128, one LSTM layer of 256, 2 classes.</summary>
    Lstm256,
    /// <summary>Vocabulary 5000, embedding 32, one GRU layer of 64, 2 classes.</summary>
    Gru64,
}

/// <summary>Builds a reference model (seeded random weights) and its ONNX export.</summary>
internal static class ReferenceModel
{
    internal const int VocabSize = 5000;

    internal static RnnModelConfig Config(ReferenceModelKind kind) => kind switch
    {
        ReferenceModelKind.Lstm256 => new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Lstm, VocabSize, 128, 256, NumClasses: 2),
        _ => new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Gru, VocabSize, 32, 64, NumClasses: 2),
    };

    internal static RnnSequenceModel Create(ReferenceModelKind kind)
    {
        torch.manual_seed(42);
        var model = new RnnSequenceModel(Config(kind));
        model.eval();
        return model;
    }

    internal static byte[] Onnx(RnnSequenceModel model) =>
        OnnxExporter.Export(model, new OnnxExportOptions { Labels = ["negative", "positive"] });

    /// <summary>Useful FLOPs per real token of the recurrent layer: 2 · gates · H · (E + H).</summary>
    internal static double FlopsPerToken(ReferenceModelKind kind)
    {
        var c = Config(kind);
        int gates = c.Cell switch { RnnCellType.Lstm => 4, RnnCellType.Gru => 3, _ => 1 };
        return 2.0 * gates * c.HiddenSize * (c.EmbeddingDim + c.HiddenSize);
    }
}
