using static TorchSharp.torch;

namespace MlNetRnn.Training.Models;

/// <summary>
/// Looks inside an <see cref="RnnSequenceModel"/>: every layer's hidden state (and an LSTM's cell state) at every step,
/// computed step by step from the model's own weights with the cell equations of PyTorch's RNN, LSTM and GRU.
/// </summary>
/// <remarks>
/// The result is the model's evaluation-mode computation (no dropout between layers), exact up to float rounding: the last
/// layer's states and the final states equal what <see cref="RnnSequenceModel.forward(Tensor, Tensor, Tensor?, Tensor?)"/>
/// returns. Each sequence stops at its own length, as a packed sequence does: states past it are zero, a reverse direction
/// starts at the sequence's last token, and a zero-length sequence keeps its initial state. Gradients flow through the
/// result when they are enabled. Runs one small step at a time, so it is much slower than the forward pass; it is meant
/// for analysis, not for training.
/// </remarks>
public static class RnnStateProbe
{
    /// <summary>Runs <paramref name="model"/>'s embedding and recurrent stack on a batch, keeping every layer's states.</summary>
    /// <param name="model">The model; it is not changed.</param>
    /// <param name="ids">Token ids, int64 <c>(T, B)</c>, padded with <see cref="RnnModelConfig.PadId"/>.</param>
    /// <param name="lengths">Valid length of each sequence, int64 <c>(B)</c>, each in <c>[0, T]</c>.</param>
    /// <param name="h0">Initial hidden state <c>(L*D, B, H)</c>, or <see langword="null"/> for zeros.</param>
    /// <param name="c0">Initial LSTM cell state <c>(L*D, B, H)</c>, or <see langword="null"/> for zeros; ignored by other cells.</param>
    /// <returns>The states, owned by the caller.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/>, <paramref name="ids"/> or <paramref name="lengths"/> is null.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank, type or size, or the model has a character encoder (not supported here).</exception>
    public static RnnLayerStates Run(RnnSequenceModel model, Tensor ids, Tensor lengths, Tensor? h0 = null, Tensor? c0 = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config.HasCharEncoder)
            throw new ArgumentException($"{nameof(RnnStateProbe)} runs word embeddings only; the model has a character encoder (CharVocabSize {model.Config.CharVocabSize}).", nameof(model));
        RnnSequenceModel.CheckInputs(ids, lengths);
        var config = model.Config;
        long T = ids.shape[0], B = ids.shape[1];
        int L = config.NumLayers, D = config.NumDirections, H = config.HiddenSize;
        bool isLstm = config.Cell == RnnCellType.Lstm;
        CheckState(h0, nameof(h0), L * D, B, H);
        if (isLstm)
            CheckState(c0, nameof(c0), L * D, B, H);

        using var scope = NewDisposeScope();
        var p = model.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter);
        var device = ids.device;
        h0 ??= zeros(L * D, B, H, device: device);
        c0 = isLstm ? c0 ?? zeros(L * D, B, H, device: device) : null;

        var x = p["embedding.weight"].index_select(0, ids.flatten()).view(T, B, -1);       // (T, B, E)
        var valid = arange(T, device: device).unsqueeze(1).lt(lengths.to(device).unsqueeze(0)).unsqueeze(2); // (T, B, 1) bool
        var layerHidden = new List<Tensor>();
        var layerCell = new List<Tensor>();
        var finalH = new List<Tensor>();
        var finalC = new List<Tensor>();
        for (int k = 0; k < L; k++)
        {
            var directionHidden = new Tensor[D];
            var directionCell = new Tensor[D];
            for (int d = 0; d < D; d++)
            {
                string suffix = $"_l{k}{(d == 1 ? "_reverse" : "")}";
                var weights = new CellWeights(config.Cell, p["rnn.weight_ih" + suffix], p["rnn.weight_hh" + suffix], p["rnn.bias_ih" + suffix], p["rnn.bias_hh" + suffix]);
                var (ys, cs, h, c) = RunDirection(weights, x, valid, h0[k * D + d], c0?[k * D + d], reverse: d == 1);
                directionHidden[d] = ys;                                                   // (T, B, H)
                directionCell[d] = cs!;
                finalH.Add(h);                                                             // (B, H)
                if (c is not null)
                    finalC.Add(c);
            }

            x = cat(directionHidden, 2);                                                  // (T, B, D*H), forward first
            layerHidden.Add(x);
            if (isLstm)
                layerCell.Add(cat(directionCell, 2));                                      // (T, B, D*H)
        }

        return new RnnLayerStates(
            stack(layerHidden, 2).MoveToOuterDisposeScope(),                              // (T, B, L, D*H)
            isLstm ? stack(layerCell, 2).MoveToOuterDisposeScope() : null,
            stack(finalH, 0).MoveToOuterDisposeScope(),                                   // (L*D, B, H)
            isLstm ? stack(finalC, 0).MoveToOuterDisposeScope() : null);
    }

    /// <summary>One direction of one layer over all steps; states only advance where <paramref name="valid"/> is true.</summary>
    private static (Tensor Hidden, Tensor? Cell, Tensor H, Tensor? C) RunDirection(CellWeights w, Tensor x, Tensor valid, Tensor h, Tensor? c, bool reverse)
    {
        long T = x.shape[0];
        var inputPart = x.matmul(w.InputWeight.t()) + w.InputBias;                       // (T, B, G*H)
        var hidden = new Tensor[T];
        var cell = c is null ? null : new Tensor[T];
        for (long i = 0; i < T; i++)
        {
            long t = reverse ? T - 1 - i : i;
            var keep = valid[t];                                                           // (B, 1)
            var (hNext, cNext) = w.Step(inputPart[t], h, c);
            h = where(keep, hNext, h);                                                     // (B, H)
            hidden[t] = h * keep.to(h.dtype);
            if (c is not null)
            {
                c = where(keep, cNext!, c);
                cell![t] = c * keep.to(c.dtype);
            }
        }

        var zerosTBH = zeros(0, x.shape[1], h.shape[1], device: x.device);
        return (T == 0 ? zerosTBH : stack(hidden, 0), cell is null ? null : T == 0 ? zerosTBH : stack(cell, 0), h, c);
    }

    private static void CheckState(Tensor? state, string name, long layers, long batch, long hidden)
    {
        if (state is not null && (state.dim() != 3 || state.dtype != ScalarType.Float32 || state.shape[0] != layers || state.shape[1] != batch || state.shape[2] != hidden))
            throw new ArgumentException($"{name}: expected a float32 tensor of shape ({layers}, {batch}, {hidden}), got {state.dtype} of shape ({string.Join(", ", state.shape)}).", name);
    }

    /// <summary>One direction's parameters, with PyTorch's cell equations (gate order i,f,g,o for LSTM, r,z,n for GRU); also
    /// used by <c>Analysis.UnrolledRecurrence</c>, so the cell equations are written once.</summary>
    internal sealed record CellWeights(RnnCellType Cell, Tensor InputWeight, Tensor HiddenWeight, Tensor InputBias, Tensor HiddenBias)
    {
        /// <summary>Next (h, c) from the input's projection <c>W_ih x + b_ih</c> <c>(B, G*H)</c> and the previous state.</summary>
        public (Tensor H, Tensor? C) Step(Tensor inputPart, Tensor h, Tensor? c)
        {
            var hiddenPart = h.matmul(HiddenWeight.t()) + HiddenBias;                     // (B, G*H)
            switch (Cell)
            {
                case RnnCellType.Lstm:
                    var g = (inputPart + hiddenPart).chunk(4, 1);
                    var cNext = sigmoid(g[1]) * c! + sigmoid(g[0]) * tanh(g[2]);
                    return (sigmoid(g[3]) * tanh(cNext), cNext);
                case RnnCellType.Gru:
                    var xi = inputPart.chunk(3, 1);
                    var hi = hiddenPart.chunk(3, 1);
                    var r = sigmoid(xi[0] + hi[0]);
                    var z = sigmoid(xi[1] + hi[1]);
                    var n = tanh(xi[2] + r * hi[2]);
                    return ((1 - z) * n + z * h, null);
                case RnnCellType.RnnRelu:
                    return ((inputPart + hiddenPart).relu(), null);
                default:
                    return (tanh(inputPart + hiddenPart), null);
            }
        }
    }
}
