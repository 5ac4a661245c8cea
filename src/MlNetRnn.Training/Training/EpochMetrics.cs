namespace MlNetRnn.Training.Training;

/// <summary>What one training epoch achieved.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="LearningRate">The learning rate used in the epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch (nats per sequence for sequence classification, per token otherwise).</param>
/// <param name="ValidationLoss">Validation loss after the epoch, same unit; <see langword="null"/> without validation data.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch (per sequence, per token, or next-token); <see langword="null"/> without validation data.</param>
/// <param name="TokensPerSecond">Training tokens per second (padding not counted).</param>
/// <param name="Duration">Wall-clock time of the epoch, validation included.</param>
public sealed record EpochMetrics(
    int Epoch,
    double LearningRate,
    double TrainLoss,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double TokensPerSecond,
    TimeSpan Duration);
