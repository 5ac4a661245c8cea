namespace MlNetRnn.Training.Training;

/// <summary>A progress report from a trainer, enough to draw a progress bar.</summary>
/// <param name="Phase">Training steps, or the validation at the end of an epoch.</param>
/// <param name="Epoch">The current epoch, 1-based.</param>
/// <param name="Epochs">The number of epochs planned (training may stop earlier).</param>
/// <param name="Step">Training steps done in this epoch, 1-based (equals <paramref name="StepsPerEpoch"/> in the validation report).</param>
/// <param name="StepsPerEpoch">Training steps (batches or chunks) per epoch.</param>
/// <param name="Loss">
/// Training phase: mean training loss of this epoch so far. Validation phase: the validation loss. In nats per sequence for
/// sequence classification, per token otherwise.
/// </param>
/// <param name="ValidationAccuracy">Validation phase: the validation accuracy; <see langword="null"/> in the training phase.</param>
/// <param name="TokensPerSecond">Training tokens per second in this epoch so far (padding not counted).</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="EstimatedRemaining">Estimated time to the end of the last planned epoch, from the average step time so far.</param>
/// <param name="BestValidationLoss">Lowest validation loss so far; <see langword="null"/> before the first validation or without validation data.</param>
public readonly record struct TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    double Loss,
    double? ValidationAccuracy,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining,
    double? BestValidationLoss)
{
    /// <summary>Fraction of all planned training steps done, in <c>[0, 1]</c>.</summary>
    public double Fraction => Epochs * (long)StepsPerEpoch == 0 ? 1.0 : ((Epoch - 1) * (long)StepsPerEpoch + Step) / (double)(Epochs * (long)StepsPerEpoch);
}
