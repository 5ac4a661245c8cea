using TorchSharp;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>
/// The epoch skeleton every trainer shares: learning rate per epoch, the optimizer step, validation after every epoch, best
/// weights, early stopping, history, cancellation, NaN detection and progress. A trainer supplies "train one epoch" (its
/// steps, each ending in <see cref="Step"/>) and "validate".
/// </summary>
/// <remarks>
/// Owns the optimizer, the best-weights copy and the progress meter. Whatever ends a run — the last epoch, early stopping,
/// cancellation or divergence — the model is left holding the best validated weights (when there were any) in evaluation mode.
/// </remarks>
internal sealed class EpochLoop : IDisposable
{
    private readonly nn.Module model;
    private readonly RnnTrainingOptions options;
    private readonly CancellationToken cancellationToken;
    private readonly TorchSharp.Modules.Parameter[] parameters;
    private readonly optim.Optimizer optimizer;
    private readonly BestWeights best;
    private readonly ProgressMeter meter;
    private int epoch;

    /// <summary>Moves the model to the options' device, seeds TorchSharp and creates the optimizer.</summary>
    public EpochLoop(nn.Module model, RnnTrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        this.model = model;
        this.options = options;
        this.cancellationToken = cancellationToken;
        model.to(options.Device);
        manual_seed(options.Seed);
        parameters = model.parameters().Where(p => p.requires_grad).ToArray(); // a frozen embedding is not optimized
        optimizer = TrainingSupport.CreateOptimizer(options, parameters);
        best = new BestWeights(model, options.EarlyStoppingPatience);
        meter = new ProgressMeter(progress, options.Epochs, options.ProgressInterval, options.Device);
    }

    /// <summary>Runs the epochs.</summary>
    /// <param name="trainEpoch">Runs one epoch's steps: calls <see cref="BeginSteps"/> once, then per step <see cref="ThrowIfCancellationRequested"/> and <see cref="Step"/>.</param>
    /// <param name="validate">Evaluates the model after an epoch, or <see langword="null"/> without validation data (the last epoch's weights are kept).</param>
    public TrainingResult Run(Action trainEpoch, Func<EvaluationResult>? validate)
    {
        var history = new List<EpochMetrics>();
        bool stoppedEarly = false;
        try
        {
            for (epoch = 1; epoch <= options.Epochs && !stoppedEarly; epoch++)
            {
                var epochStart = meter.Elapsed;
                double learningRate = options.LearningRateAt(epoch);
                TrainingSupport.SetLearningRate(optimizer, learningRate);
                model.train();
                trainEpoch();

                double trainLoss = meter.EndEpoch();
                double tokensPerSecond = meter.TokensPerSecond;
                EvaluationResult? validated = null;
                if (validate is not null)
                {
                    validated = validate();
                    meter.CheckFinite(validated.Loss, "validation loss");
                    stoppedEarly = best.Update(epoch, validated.Loss) && epoch < options.Epochs;
                    meter.BestValidationLoss = best.BestLoss;
                    meter.ReportValidation(validated);
                }

                history.Add(new EpochMetrics(epoch, learningRate, trainLoss, validated?.Loss, validated?.Accuracy, tokensPerSecond, meter.Elapsed - epochStart));
            }
        }
        finally
        {
            best.Restore();
            model.eval();
        }

        int bestEpoch = validate is null ? history.Count : best.BestEpoch;
        return new TrainingResult(history, bestEpoch, stoppedEarly, meter.Elapsed);
    }

    /// <summary>Starts the current epoch's steps (for progress and timing).</summary>
    public void BeginSteps(int stepCount) => meter.BeginEpoch(epoch, stepCount);

    /// <summary>Throws <see cref="OperationCanceledException"/> when the run is cancelled; call before every step.</summary>
    public void ThrowIfCancellationRequested() => cancellationToken.ThrowIfCancellationRequested();

    /// <summary>Backward, gradient clipping and the optimizer step for a step's mean loss over <paramref name="count"/> predictions.</summary>
    public void Step(Tensor loss, long count, long tokenCount)
    {
        optimizer.zero_grad();
        loss.backward();
        if (options.MaxGradNorm is double maxGradNorm && maxGradNorm > 0)
            nn.utils.clip_grad_norm_(parameters, maxGradNorm);
        optimizer.step();
        meter.EndStep(loss, count, tokenCount);
    }

    public void Dispose()
    {
        meter.Dispose();
        best.Dispose();
        optimizer.Dispose();
    }
}
