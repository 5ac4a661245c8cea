using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace MlNetRnn.Training.Analysis;

/// <summary>
/// The model's recurrence written out one step at a time with the model's own weights, so every hidden state <c>h_t</c> is a
/// node of the autograd graph (torch's fused RNN kernels expose only the outputs, not intermediate states one can differentiate by).
/// </summary>
/// <remarks>
/// Same equations as PyTorch's cells (gate order i,f,g,o for the LSTM and r,z,n for the GRU); no padding, no dropout
/// (evaluation behaviour), zero initial state, unidirectional models only.
/// </remarks>
internal static class UnrolledRecurrence
{
    /// <summary>Runs equal-length sequences step by step.</summary>
    /// <param name="model">A unidirectional model.</param>
    /// <param name="ids">Token ids, int64 <c>(T, B)</c>, no padding, <c>T ≥ 1</c>.</param>
    /// <returns>
    /// <c>Hidden[l][t]</c>: layer l's hidden state after step t, <c>(B, H)</c>; <c>LastLogits</c>: the head applied to the last
    /// layer's state after the last step, <c>(B, C)</c>. All in the caller's dispose scope.
    /// </returns>
    public static (Tensor[][] Hidden, Tensor LastLogits) Run(RnnSequenceModel model, Tensor ids)
    {
        var config = model.Config;
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        long T = ids.shape[0], B = ids.shape[1];
        int H = config.HiddenSize;

        var input = weights["embedding.weight"].index_select(0, ids.reshape(-1)).view(T, B, -1);   // (T, B, E)
        var steps = input.unbind(0);                                                                // T × (B, E)
        var hidden = new Tensor[config.NumLayers][];
        for (int l = 0; l < config.NumLayers; l++)
        {
            var wIh = weights[$"rnn.weight_ih_l{l}"];                                               // (G*H, in)
            var wHh = weights[$"rnn.weight_hh_l{l}"];                                               // (G*H, H)
            var bIh = weights[$"rnn.bias_ih_l{l}"];                                                 // (G*H)
            var bHh = weights[$"rnn.bias_hh_l{l}"];                                                 // (G*H)
            var cell = new RnnStateProbe.CellWeights(config.Cell, wIh, wHh, bIh, bHh);
            var h = zeros(B, H, device: ids.device);                                                // (B, H)
            Tensor? c = config.Cell == RnnCellType.Lstm ? zeros(B, H, device: ids.device) : null;   // (B, H), LSTM only
            hidden[l] = new Tensor[T];
            for (int t = 0; t < T; t++)
            {
                (h, c) = cell.Step(linear(steps[t], wIh, bIh), h, c);                               // (B, H)
                hidden[l][t] = h;                                                                   // (B, H)
            }

            steps = hidden[l];
        }

        var lastLogits = linear(hidden[^1][^1], weights["head.weight"], weights["head.bias"]);       // (B, C)
        return (hidden, lastLogits);
    }
}
