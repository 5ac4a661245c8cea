using static TorchSharp.torch;

namespace MlNetRnn.Training.Generation;

/// <summary>The decoder's recurrent state: hidden <c>(L, B, H)</c> and, for an LSTM, cell <c>(L, B, H)</c>.</summary>
internal sealed record DecoderState(Tensor H, Tensor? C)
{
    /// <summary>The rows <paramref name="rows"/> (int64 indices) of the batch axis.</summary>
    public DecoderState Select(Tensor rows) => new(H.index_select(1, rows), C?.index_select(1, rows));
}
