using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>
/// Accumulates the training loss on the device, times epochs, counts tokens and reports <see cref="TrainingProgress"/>.
/// The loss is read back (the only host synchronisation) every <see cref="RnnTrainingOptions.ProgressInterval"/> steps and
/// at the end of an epoch, where it is also checked for NaN and infinity.
/// </summary>
/// <remarks>Owns the on-device loss accumulator.</remarks>
internal sealed class ProgressMeter : IDisposable
{
    private readonly IProgress<TrainingProgress>? progress;
    private readonly int epochs;
    private readonly int interval;
    private readonly Stopwatch total = Stopwatch.StartNew();
    private readonly Stopwatch epochClock = new();
    private readonly Tensor lossSum;
    private long lossCount;
    private long tokens;
    private int epoch;
    private int step;
    private int stepsPerEpoch;
    private long stepsDone;

    public ProgressMeter(IProgress<TrainingProgress>? progress, int epochs, int interval, Device device)
    {
        this.progress = progress;
        this.epochs = epochs;
        this.interval = interval;
        using var scope = NewDisposeScope();
        lossSum = zeros(1, ScalarType.Float64, device).DetachFromDisposeScope();
    }

    public double? BestValidationLoss { get; set; }

    public TimeSpan Elapsed => total.Elapsed;

    public double TokensPerSecond => tokens / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);

    public void BeginEpoch(int epoch, int stepsPerEpoch)
    {
        this.epoch = epoch;
        this.stepsPerEpoch = stepsPerEpoch;
        step = 0;
        tokens = 0;
        lossCount = 0;
        lossSum.zero_();
        epochClock.Restart();
    }

    /// <summary>Adds a step's mean loss (over <paramref name="count"/> predictions) without reading it back; reports every interval.</summary>
    public void EndStep(Tensor meanLoss, long count, long tokenCount)
    {
        lossSum.add_(meanLoss.detach(), count);
        lossCount += count;
        tokens += tokenCount;
        step++;
        stepsDone++;
        if (step % interval == 0 && step < stepsPerEpoch)
            Report(TrainingPhase.Train, ReadLoss(), null);
    }

    /// <summary>Ends the training part of an epoch: reads, checks and reports the epoch's mean loss.</summary>
    public double EndEpoch()
    {
        epochClock.Stop();
        double loss = ReadLoss();
        Report(TrainingPhase.Train, loss, null);
        return loss;
    }

    public void ReportValidation(EvaluationResult result)
    {
        Report(TrainingPhase.Validate, result.Loss, result.Accuracy);
    }

    public void Dispose() => lossSum.Dispose();

    private double ReadLoss()
    {
        double loss = lossCount == 0 ? 0.0 : lossSum.item<double>() / lossCount;
        CheckFinite(loss, "training loss");
        return loss;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when a loss is NaN or infinite.</summary>
    public void CheckFinite(double loss, string what)
    {
        if (!double.IsFinite(loss))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Training diverged: the {what} became {loss} in epoch {epoch} by step {step} of {stepsPerEpoch}. The model keeps the weights of the best validated epoch so far, if any. Lower the learning rate or set MaxGradNorm."));
        }
    }

    private void Report(TrainingPhase phase, double loss, double? accuracy)
    {
        if (progress is null)
            return;
        var elapsed = total.Elapsed;
        long plannedSteps = (long)epochs * stepsPerEpoch;
        var remaining = stepsDone == 0 ? TimeSpan.Zero : elapsed / stepsDone * Math.Max(0, plannedSteps - stepsDone);
        progress.Report(new TrainingProgress(phase, epoch, epochs, step, stepsPerEpoch, loss, accuracy, TokensPerSecond, elapsed, remaining, BestValidationLoss));
    }
}
