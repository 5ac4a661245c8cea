using static TorchSharp.torch;

namespace MlNetRnn.Training.Generation;

/// <summary>Everything the decoder starts from: the initial state, the attention memory (or none), the first step's condition (or none).</summary>
internal sealed record DecoderStart(DecoderState State, DecoderMemory? Memory, Tensor? FirstStepCondition)
{
    /// <summary>The rows <paramref name="rows"/> (int64 indices) of the batch axis.</summary>
    public DecoderStart Select(Tensor rows) => new(State.Select(rows), Memory?.Select(rows), FirstStepCondition?.index_select(0, rows));
}
