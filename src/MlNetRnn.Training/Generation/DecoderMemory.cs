using static TorchSharp.torch;

namespace MlNetRnn.Training.Generation;

/// <summary>What the attention reads: encoder outputs <c>(B, S, F)</c>, their keys <c>(B, S, H)</c> and the valid positions <c>(B, S)</c>.</summary>
internal sealed record DecoderMemory(Tensor Outputs, Tensor Keys, Tensor Valid)
{
    /// <summary>The rows <paramref name="rows"/> (int64 indices) of the batch axis.</summary>
    public DecoderMemory Select(Tensor rows) => new(Outputs.index_select(0, rows), Keys.index_select(0, rows), Valid.index_select(0, rows));
}
