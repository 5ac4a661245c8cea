using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Generation;

/// <summary>Embedding → recurrent stack over a padded source batch, packed by lengths.</summary>
internal sealed class SourceEncoder : Module
{
    private readonly Embedding embedding;
    private readonly RecurrentStack recurrent;

    public SourceEncoder(EncoderDecoderConfig config) : base(nameof(SourceEncoder))
    {
        embedding = Embedding(config.SourceVocabSize, config.EmbeddingDim, padding_idx: config.SourcePadId);
        recurrent = new RecurrentStack(config.Cell, config.EmbeddingDim, config.HiddenSize, config.EncoderLayers, config.Bidirectional, config.Dropout);
        RegisterComponents();
    }

    public Embedding Embedding => embedding;

    public RecurrentStack Recurrent => recurrent;

    /// <summary>Encodes a batch.</summary>
    /// <param name="ids">Source ids <c>(S, B)</c>, S ≥ 1, padded with the pad id.</param>
    /// <param name="lengths">Lengths <c>(B)</c>; 0 is read as 1, so an empty source is one padding token.</param>
    /// <returns>Outputs <c>(B, S, D*H)</c> zero past each length, and the last layer's final states, both directions concatenated <c>(B, D*H)</c>.</returns>
    public (Tensor Outputs, Tensor FinalH, Tensor? FinalC) Encode(Tensor ids, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        long B = ids.shape[1];
        var cpuLengths = lengths.to(CPU).clamp_min(1);
        var (y, hN, cN) = recurrent.Run(embedding.call(ids), cpuLengths, null, null);   // (S, B, D*H), (L*D, B, H)
        return (y.transpose(0, 1).contiguous().MoveToOuterDisposeScope(), LastLayer(hN).MoveToOuterDisposeScope(), cN is null ? null : LastLayer(cN).MoveToOuterDisposeScope());

        Tensor LastLayer(Tensor state) =>
            state.view(recurrent.Layers, recurrent.Directions, B, recurrent.HiddenSize)[-1].permute(1, 0, 2).reshape(B, recurrent.Directions * recurrent.HiddenSize);
    }
}
