using MlNetRnn.Training.Training;

namespace MlNetRnn.Samples;

/// <summary>
/// Rebuilds the per-epoch history from a trainer's progress reports, so a cancelled training (which throws instead of
/// returning its history) can still say which epochs completed and which one's weights the model holds.
/// </summary>
/// <remarks>
/// An epoch counts as completed at its validation report. The kept epoch is the first one whose validation loss equals the
/// trainer's reported lowest validation loss, the epoch whose weights the trainers put back when cancelled.
/// </remarks>
internal sealed class EpochRecorder(Func<int, double> learningRateAt)
{
    private readonly List<EpochMetrics> history = [];
    private TrainingProgress? lastTrain;
    private TimeSpan lastValidationAt;
    private double? bestValidationLoss;

    /// <summary>The completed epochs, in order.</summary>
    public IReadOnlyList<EpochMetrics> History => history;

    /// <summary>The epoch whose weights the model holds after a cancel; 0 before the first completed epoch.</summary>
    public int BestEpoch => bestValidationLoss is double best ? history.First(e => e.ValidationLoss == best).Epoch : 0;

    /// <summary>Records one progress report.</summary>
    public void Observe(TrainingProgress p)
    {
        if (p.Phase == TrainingPhase.Train)
        {
            lastTrain = p;
            return;
        }

        history.Add(new EpochMetrics(p.Epoch, learningRateAt(p.Epoch), lastTrain?.Loss ?? double.NaN, p.Loss, p.ValidationAccuracy,
            lastTrain?.TokensPerSecond ?? double.NaN, p.Elapsed - lastValidationAt));
        lastValidationAt = p.Elapsed;
        bestValidationLoss = p.BestValidationLoss;
    }

    /// <summary>Whether another epoch as long as the last completed one would end within <paramref name="budget"/>; true before the first.</summary>
    /// <param name="budget">The wall-clock budget of the run.</param>
    /// <param name="elapsed">Wall-clock time so far.</param>
    public bool NextEpochFits(TimeSpan budget, TimeSpan elapsed) => history.Count == 0 || elapsed + history[^1].Duration <= budget;

    /// <summary>
    /// What to do after Ctrl+C stopped training: the message to print, and the run to export (the best epoch so far) when
    /// the user asked for it and there is one, else <see langword="null"/>.
    /// </summary>
    /// <param name="exportOnCancel">Whether the user passed <c>--export-on-cancel</c>.</param>
    /// <param name="elapsed">Wall-clock time of the run.</param>
    /// <param name="lossUnit">The unit of the losses, for the message.</param>
    public (string Message, TrainingRun? Export) Cancelled(bool exportOnCancel, TimeSpan elapsed, string lossUnit)
    {
        int epoch = history.Count + 1;
        if (history.Count == 0)
            return ($"Cancelled in epoch 1, before any epoch was validated: no weights to export.", null);

        string kept = $"Cancelled in epoch {epoch} after {Completed()}; {Kept(lossUnit)}";
        return exportOnCancel
            ? ($"{kept} Exporting them; the model card says the training was cancelled.", new TrainingRun(history.ToList(), BestEpoch, false, elapsed, epoch))
            : ($"{kept} Nothing exported: run with --export-on-cancel to export the best weights when cancelling.", null);
    }

    /// <summary>
    /// What to do after the wall-clock budget stopped training (a normal end, not a cancel): the message to print, and the
    /// run to export (the best epoch so far), or <see langword="null"/> when no epoch completed within the budget.
    /// </summary>
    /// <param name="budget">The wall-clock budget of the run.</param>
    /// <param name="elapsed">Wall-clock time of the run.</param>
    /// <param name="lossUnit">The unit of the losses, for the message.</param>
    public (string Message, TrainingRun? Export) StoppedAtBudget(TimeSpan budget, TimeSpan elapsed, string lossUnit)
    {
        string limit = FormattableString.Invariant($"the time budget of {budget.TotalMinutes:0.##} min");
        if (history.Count == 0)
            return ($"Stopped at {limit} in epoch 1, before any epoch was validated: no weights to export. Give it more time.", null);
        return ($"Stopped at {limit} after {Completed()}; {Kept(lossUnit)} Exporting them.",
            new TrainingRun(history.ToList(), BestEpoch, false, elapsed, null, budget));
    }

    private string Completed() => history.Count == 1 ? "1 completed epoch" : $"{history.Count} completed epochs";

    private string Kept(string lossUnit)
    {
        var best = history[BestEpoch - 1];
        string accuracy = best.ValidationAccuracy is double a ? FormattableString.Invariant($", accuracy {a:P1}") : "";
        return FormattableString.Invariant($"the model holds the weights of epoch {best.Epoch} (validation loss {best.ValidationLoss:F4} {lossUnit}{accuracy}).");
    }
}
