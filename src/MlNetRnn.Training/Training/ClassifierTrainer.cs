using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace MlNetRnn.Training.Training;

/// <summary>
/// Trains a sequence classifier (one label per sequence) or a token classifier (one label per token) with cross-entropy on
/// length-bucketed, padded batches; validates every epoch and keeps the best weights.
/// </summary>
/// <remarks>
/// <para>
/// Each step: learning rate → forward (packed, so padding changes nothing) → cross-entropy (token classification ignores
/// padded positions) → backward → gradient clipping → optimizer step → progress. One dispose scope per batch.
/// </para>
/// <para>
/// On return the model holds the weights of the epoch with the lowest validation loss (the last epoch's without validation
/// data) and is in evaluation mode. The same happens when training is cancelled (<see cref="OperationCanceledException"/>)
/// or diverges (<see cref="InvalidOperationException"/>); before the first validation the model keeps its current weights.
/// A trainer instance holds no state between runs and may be reused; one run at a time per model.
/// </para>
/// </remarks>
public sealed class ClassifierTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="options">The training settings; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public ClassifierTrainer(RnnTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The training settings.</summary>
    public RnnTrainingOptions Options { get; }

    /// <summary>Trains a sequence classifier.</summary>
    /// <param name="model">A model with <see cref="RnnTask.SequenceClassification"/>; moved to <see cref="RnnTrainingOptions.Device"/> and trained in place.</param>
    /// <param name="train">Training examples (at least one).</param>
    /// <param name="validation">Validation examples, or <see langword="null"/> to train all epochs and keep the last weights.</param>
    /// <param name="progress">Receives progress reports (on the training thread), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>Per-epoch metrics and the epoch whose weights the model holds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentException">The model's task differs, the data is empty, or an id or label is out of the model's range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the model holds the best weights so far.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public TrainingResult Train(
        RnnSequenceModel model,
        IReadOnlyList<SequenceExample> train,
        IReadOnlyList<SequenceExample>? validation,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TrainingSupport.RequireTask(model, RnnTask.SequenceClassification, nameof(model));
        var trainSet = ClassificationSet.From(train, model.Config, nameof(train));
        var validationSet = validation is null ? null : ClassificationSet.From(validation, model.Config, nameof(validation));
        return Run(model, trainSet, validationSet, progress, cancellationToken);
    }

    /// <summary>Trains a token classifier. Sequences without tokens are skipped (they predict nothing).</summary>
    /// <param name="model">A model with <see cref="RnnTask.TokenClassification"/>; moved to <see cref="RnnTrainingOptions.Device"/> and trained in place.</param>
    /// <param name="train">Training examples (at least one with tokens).</param>
    /// <param name="validation">Validation examples, or <see langword="null"/> to train all epochs and keep the last weights.</param>
    /// <param name="progress">Receives progress reports (on the training thread), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>Per-epoch metrics (losses and accuracies per token) and the epoch whose weights the model holds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentException">The model's task differs, the data has no tokens, or an id or tag is out of the model's range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the model holds the best weights so far.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public TrainingResult Train(
        RnnSequenceModel model,
        IReadOnlyList<TaggedSequence> train,
        IReadOnlyList<TaggedSequence>? validation,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TrainingSupport.RequireTask(model, RnnTask.TokenClassification, nameof(model));
        var trainSet = ClassificationSet.From(train, model.Config, nameof(train));
        var validationSet = validation is null ? null : ClassificationSet.From(validation, model.Config, nameof(validation));
        return Run(model, trainSet, validationSet, progress, cancellationToken);
    }

    private TrainingResult Run(RnnSequenceModel model, ClassificationSet train, ClassificationSet? validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var options = Options;
        var device = options.Device;
        int C = model.Config.OutputSize;
        using var loop = new EpochLoop(model, options, progress, cancellationToken);
        var random = new Random(options.Seed);
        var batcher = new LengthBucketBatcher(options.BatchSize, options.BucketMultiplier);
        return loop.Run(TrainEpoch, validation is null ? null : () => RnnEvaluator.Evaluate(model, validation, options.BatchSize));

        void TrainEpoch()
        {
            var plan = batcher.PlanTrainingBatches(train.Lengths, random);
            loop.BeginSteps(plan.Count);
            foreach (int[] positions in plan)
            {
                loop.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = train.CreateBatch(positions, device);
                var logits = TrainingSupport.Forward(model, batch).Logits;          // (B, C) or (T, B, C)
                var loss = cross_entropy(logits.reshape(-1, C), batch.Targets.reshape(-1), ignore_index: SequenceBatch.IgnoredTarget);
                loop.Step(loss, train.PerToken ? batch.TokenCount : batch.Size, batch.TokenCount);
            }
        }
    }
}
