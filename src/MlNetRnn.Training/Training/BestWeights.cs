using TorchSharp;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>
/// Keeps a CPU copy of the weights of the epoch with the lowest validation loss, decides early stopping, and puts those
/// weights back into the model at the end (or when training is interrupted).
/// </summary>
/// <remarks>Owns the CPU copies (allocated once, at the first improvement, then overwritten in place).</remarks>
internal sealed class BestWeights : IDisposable
{
    private readonly Dictionary<string, Tensor> live;
    private readonly int? patience;
    private Dictionary<string, Tensor>? saved;
    private int epochsWithoutImprovement;

    public BestWeights(nn.Module model, int? patience)
    {
        live = model.state_dict();
        this.patience = patience;
    }

    /// <summary>1-based epoch of the kept weights; 0 before the first <see cref="Update"/>.</summary>
    public int BestEpoch { get; private set; }

    public double? BestLoss { get; private set; }

    /// <summary>Records an epoch's validation loss, copying the weights when it is the lowest so far.</summary>
    /// <returns>Whether training should stop early.</returns>
    public bool Update(int epoch, double validationLoss)
    {
        if (BestLoss is null || validationLoss < BestLoss)
        {
            BestLoss = validationLoss;
            BestEpoch = epoch;
            epochsWithoutImprovement = 0;
            Save();
            return false;
        }

        epochsWithoutImprovement++;
        return patience is int p && epochsWithoutImprovement >= p;
    }

    /// <summary>Copies the kept weights back into the model; does nothing when none were kept.</summary>
    public void Restore()
    {
        if (saved is null)
            return;
        using var _ = no_grad();
        foreach (var (name, tensor) in live)
            tensor.copy_(saved[name]);
    }

    public void Dispose()
    {
        if (saved is null)
            return;
        foreach (var tensor in saved.Values)
            tensor.Dispose();
        saved = null;
    }

    private void Save()
    {
        using var _ = no_grad();
        if (saved is null)
        {
            using var scope = NewDisposeScope();
            saved = live.ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(CPU).clone().DetachFromDisposeScope());
            return;
        }

        foreach (var (name, tensor) in live)
            saved[name].copy_(tensor);
    }
}
