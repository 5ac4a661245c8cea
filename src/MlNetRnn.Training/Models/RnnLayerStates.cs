using static TorchSharp.torch;

namespace MlNetRnn.Training.Models;

/// <summary>
/// Every layer's states at every step of a batch, from <see cref="RnnStateProbe.Run"/>. The caller owns the tensors (they
/// live in the caller's dispose scope).
/// </summary>
/// <param name="Hidden">
/// Hidden state of every layer at every step, <c>(T, B, L, D*H)</c>: both directions concatenated as torch does (forward
/// first); zero at and after each sequence's length. Layer <c>L − 1</c> equals <see cref="RnnOutput.HiddenStates"/>.
/// </param>
/// <param name="Cell">An LSTM's cell state at every step, laid out as <paramref name="Hidden"/>; <see langword="null"/> for other cells.</param>
/// <param name="FinalHidden">Final hidden state of every layer and direction, <c>(L*D, B, H)</c>, as <see cref="RnnOutput.FinalHidden"/>.</param>
/// <param name="FinalCell">Final LSTM cell state, <c>(L*D, B, H)</c>, as <see cref="RnnOutput.FinalCell"/>; <see langword="null"/> for other cells.</param>
public readonly record struct RnnLayerStates(Tensor Hidden, Tensor? Cell, Tensor FinalHidden, Tensor? FinalCell);
