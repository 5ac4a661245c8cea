using MlNetRnn.Training.Training;

namespace MlNetRnn.Samples;

/// <summary>What a sample's training did: the completed epochs and the one whose weights the model holds.</summary>
/// <param name="History">One entry per completed (validated) epoch, in order.</param>
/// <param name="BestEpoch">The 1-based epoch whose weights the model holds.</param>
/// <param name="StoppedEarly">Whether early stopping ended training.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="CancelledInEpoch">The epoch during which Ctrl+C stopped training, or <see langword="null"/> when it was not cancelled.</param>
/// <param name="TimeBudget">The wall-clock budget that stopped training, or <see langword="null"/> when the budget did not stop it.</param>
internal sealed record TrainingRun(IReadOnlyList<EpochMetrics> History, int BestEpoch, bool StoppedEarly, TimeSpan Elapsed, int? CancelledInEpoch, TimeSpan? TimeBudget = null)
{
    /// <summary>The metrics of <see cref="BestEpoch"/>.</summary>
    public EpochMetrics Best => History[BestEpoch - 1];

    /// <summary>A run that ended normally.</summary>
    public static TrainingRun Completed(TrainingResult result) => new(result.History, result.BestEpoch, result.StoppedEarly, result.Elapsed, null);
}
