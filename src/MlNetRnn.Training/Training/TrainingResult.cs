namespace MlNetRnn.Training.Training;

/// <summary>What a training run did: per-epoch metrics, the epoch whose weights the model now holds, and why it stopped.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(IReadOnlyList<EpochMetrics> history, int bestEpoch, bool stoppedEarly, TimeSpan elapsed)
    {
        History = history;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
        Elapsed = elapsed;
    }

    /// <summary>One entry per completed epoch, in order.</summary>
    public IReadOnlyList<EpochMetrics> History { get; }

    /// <summary>
    /// The 1-based epoch whose weights the model holds: the one with the lowest validation loss, or the last epoch when
    /// there was no validation data.
    /// </summary>
    public int BestEpoch { get; }

    /// <summary>The metrics of <see cref="BestEpoch"/>.</summary>
    public EpochMetrics Best => History[BestEpoch - 1];

    /// <summary>Whether early stopping ended training before the planned number of epochs.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Wall-clock time of the whole run.</summary>
    public TimeSpan Elapsed { get; }
}
