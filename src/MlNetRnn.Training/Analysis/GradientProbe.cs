using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace MlNetRnn.Training.Analysis;

/// <summary>
/// Gradients through time: how much the loss at the last step of a sequence still depends on the hidden state of each earlier
/// step (Bengio et al. 1994's vanishing and exploding gradients, measured).
/// </summary>
/// <remarks>
/// The probe runs the recurrence one step at a time with the model's own weights so that every <c>h_t</c> is a node of the
/// autograd graph, then asks autograd for <c>∂L_T/∂h_t</c> of every step and layer. <c>L_T</c> is the cross-entropy of the head
/// applied to the last layer's state after the last step: for a sequence classifier its loss; for a language model or a
/// token classifier the loss of the last position. Dropout is not applied (evaluation behaviour). The model's weights and
/// their <c>.grad</c> are left untouched. For an LSTM the probe differentiates by the hidden state <c>h</c>, not the cell state
/// <c>c</c>. Every tensor the probe creates is disposed before it returns.
/// </remarks>
public static class GradientProbe
{
    /// <summary>Measures <c>∂L_T/∂h_t</c> for every step and layer on sequences labelled for a sequence classifier.</summary>
    /// <param name="model">A unidirectional model (any cell, any number of layers).</param>
    /// <param name="examples">Sequences of one common length ≥ 1 with their labels.</param>
    /// <returns>One profile per layer, layer 0 first.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="Measure(RnnSequenceModel, IReadOnlyList{int[]}, IReadOnlyList{int})"/>.</exception>
    public static IReadOnlyList<GradientProfile> Measure(RnnSequenceModel model, IReadOnlyList<SequenceExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return Measure(model, examples.Select(e => e.Ids).ToArray(), examples.Select(e => e.Label).ToArray());
    }

    /// <summary>Measures <c>∂L_T/∂h_t</c> for every step and layer.</summary>
    /// <param name="model">A unidirectional model (any cell, any number of layers).</param>
    /// <param name="sequences">Token ids, at least one sequence, all of one length ≥ 1 (no padding: distance from the last step must mean the same in every sequence).</param>
    /// <param name="targets">The class the head should give after each sequence's last step (for a language model: the token that follows).</param>
    /// <returns>One profile per layer, layer 0 first.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The model is bidirectional, the sequences are empty or of different lengths, the counts differ, or an id or target is out of the model's range.
    /// </exception>
    public static IReadOnlyList<GradientProfile> Measure(RnnSequenceModel model, IReadOnlyList<int[]> sequences, IReadOnlyList<int> targets)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(targets);
        var config = model.Config;
        if (config.Bidirectional)
            throw new ArgumentException("model: expected a unidirectional model (a right-to-left pass has no single last step), got a bidirectional one.", nameof(model));
        if (sequences.Count == 0)
            throw new ArgumentException("sequences: expected at least one sequence, got none.", nameof(sequences));
        if (targets.Count != sequences.Count)
            throw new ArgumentException(TrainingSupport.Invariant($"targets: expected one per sequence ({sequences.Count}), got {targets.Count}."), nameof(targets));
        int T = sequences[0]?.Length ?? throw new ArgumentNullException(nameof(sequences), "sequences[0] is null.");
        for (int b = 0; b < sequences.Count; b++)
        {
            if (sequences[b] is null)
                throw new ArgumentNullException(nameof(sequences), TrainingSupport.Invariant($"sequences[{b}] is null."));
            if (sequences[b].Length != T || T == 0)
                throw new ArgumentException(TrainingSupport.Invariant($"sequences[{b}]: expected the length of sequences[0] ({T}), at least 1, got {sequences[b].Length}."), nameof(sequences));
        }

        TrainingSupport.CheckIds(sequences, config.VocabSize, nameof(sequences));
        for (int b = 0; b < targets.Count; b++)
        {
            if ((uint)targets[b] >= (uint)config.OutputSize)
                throw new ArgumentException(TrainingSupport.Invariant($"targets[{b}]: expected a class index in [0, {config.OutputSize}) (the model's outputs), got {targets[b]}."), nameof(targets));
        }

        int B = sequences.Count, H = config.HiddenSize;
        using var scope = NewDisposeScope();
        using var gradMode = enable_grad();
        var device = TrainingSupport.DeviceOf(model);
        var flat = new long[T * B];
        for (int b = 0; b < B; b++)
        {
            for (int t = 0; t < T; t++)
                flat[t * B + b] = sequences[b][t];
        }

        var ids = tensor(flat, [T, B], device: device);                                  // (T, B)
        var target = tensor(targets.Select(x => (long)x).ToArray(), device: device);     // (B)
        var (hidden, lastLogits) = UnrolledRecurrence.Run(model, ids);
        // Summed, not averaged, so each sequence's ∂L_b/∂h_t is its own gradient (sequences don't interact).
        var loss = cross_entropy(lastLogits, target, reduction: nn.Reduction.Sum);
        var grads = autograd.grad([loss], hidden.SelectMany(h => h).ToArray());

        var profiles = new GradientProfile[config.NumLayers];
        for (int l = 0; l < config.NumLayers; l++)
        {
            var g = stack(grads.Skip(l * T).Take(T), 0).cpu();                           // (T, B, H)
            var meanNorm = g.to(ScalarType.Float64).square().sum(2).sqrt().mean([1L]);  // (T): per-sequence norms, averaged
            var meanAbs = g.abs().mean([1L]);                                             // (T, H)
            profiles[l] = new GradientProfile(l, H, meanNorm.data<double>().ToArray(), meanAbs.contiguous().data<float>().ToArray());
        }

        return profiles;
    }
}
