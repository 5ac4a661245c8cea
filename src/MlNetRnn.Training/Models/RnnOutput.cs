using static TorchSharp.torch;

namespace MlNetRnn.Training.Models;

/// <summary>
/// The tensors an <see cref="RnnSequenceModel"/> forward pass returns. The caller owns them (they live in the caller's dispose scope).
/// </summary>
/// <param name="HiddenStates">Last layer's output at every step, <c>(T, B, D*H)</c>; zero at and after each sequence's length.</param>
/// <param name="FinalHidden">Final hidden state of every layer and direction, <c>(L*D, B, H)</c>, in PyTorch's order (layer-major, forward first).</param>
/// <param name="FinalCell">Final cell state of an LSTM, <c>(L*D, B, H)</c>; <see langword="null"/> for other cells.</param>
/// <param name="Logits">Head output before softmax: <c>(B, C)</c> for sequence classification, <c>(T, B, C)</c> otherwise.</param>
public readonly record struct RnnOutput(Tensor HiddenStates, Tensor FinalHidden, Tensor? FinalCell, Tensor Logits);
