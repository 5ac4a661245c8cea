using MlNetRnn.Training.Models;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Analysis;

/// <summary>
/// Changes to a model's freshly initialised recurrent weights that decide how gradients flow through time: scaling the
/// recurrent matrices (exploding or vanishing gradients) and opening the gate that keeps the state (long memory from the start).
/// </summary>
/// <remarks>Both change the model in place, under <c>no_grad</c>; call them before training. Not thread-safe with a running model.</remarks>
public static class RecurrentInitialization
{
    /// <summary>Multiplies every recurrent weight matrix (<c>weight_hh</c> of every layer and direction) by a factor.</summary>
    /// <param name="model">The model to change.</param>
    /// <param name="factor">The factor, finite; above 1 makes gradients through time tend to explode, below 1 to vanish.</param>
    /// <remarks>Input weights, biases, the embedding and the head are unchanged.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not finite.</exception>
    public static void ScaleRecurrentWeights(RnnSequenceModel model, double factor)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!double.IsFinite(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"Expected a finite factor, got {factor}.");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.StartsWith("rnn.weight_hh_", StringComparison.Ordinal))
                parameter.mul_(factor);
        }
    }

    /// <summary>
    /// Sets the bias of the gate that keeps the previous state — the LSTM's forget gate, the GRU's update gate — in every
    /// layer and direction: <c>bias_ih</c> to <paramref name="bias"/> and <c>bias_hh</c> to 0 in that gate's rows.
    /// </summary>
    /// <param name="model">An LSTM or GRU model.</param>
    /// <param name="bias">The gate's total bias, finite; for example 1 (Jozefowicz et al. 2015) or 3 (σ(3) ≈ 0.95 of the state kept per step).</param>
    /// <remarks>
    /// In PyTorch's gate order (LSTM i,f,g,o; GRU r,z,n) both gates are rows <c>[H, 2H)</c>, and both keep the old state when
    /// open: the LSTM's <c>c' = f·c + …</c>, the GRU's <c>h' = (1 − z)·n + z·h</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The model's cell is not an LSTM or GRU.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bias"/> is not finite.</exception>
    public static void SetKeepGateBias(RnnSequenceModel model, double bias)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config.Cell is not (RnnCellType.Lstm or RnnCellType.Gru))
            throw new ArgumentException($"model: expected an LSTM or GRU (the cells with a gate that keeps the state), got {model.Config.Cell}.", nameof(model));
        if (!double.IsFinite(bias))
            throw new ArgumentOutOfRangeException(nameof(bias), bias, $"Expected a finite bias, got {bias}.");
        int H = model.Config.HiddenSize;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.StartsWith("rnn.bias_ih_", StringComparison.Ordinal))
                parameter[H..(2 * H)].fill_(bias);
            else if (name.StartsWith("rnn.bias_hh_", StringComparison.Ordinal))
                parameter[H..(2 * H)].fill_(0);
        }
    }
}
