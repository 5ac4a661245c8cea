using MlNetRnn.Training.Data;
using MlNetRnn.Training.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// Trains an <see cref="EncoderDecoderModel"/> or a <see cref="ConditionedGeneratorModel"/> with teacher forcing: the decoder
/// reads BOS and the true previous tokens and is scored by the negative log-likelihood of the next token (the target then
/// EOS), padding masked out.
/// </summary>
/// <remarks>
/// <para>
/// Batches are length-bucketed (<see cref="LengthBucketBatcher"/>, by source length for encoder–decoders, by target length
/// for conditioned generators) and reshuffled every epoch. Each step: forward → mean NLL per target token → backward →
/// gradient clipping (<see cref="RnnTrainingOptions.MaxGradNorm"/>) → optimizer step. Validation loss (nats per target
/// token, EOS included) after every epoch decides the best weights and early stopping.
/// </para>
/// <para>
/// On return the model holds the weights of the epoch with the lowest validation loss (the last epoch's without validation
/// data) and is in evaluation mode; the same holds after cancellation (<see cref="OperationCanceledException"/>) or divergence
/// (<see cref="InvalidOperationException"/>). <see cref="RnnTrainingOptions.ChunkLength"/> is not used.
/// </para>
/// </remarks>
public sealed class GeneratorTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="options">The training settings; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public GeneratorTrainer(RnnTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The training settings.</summary>
    public RnnTrainingOptions Options { get; }

    /// <summary>Trains an encoder–decoder.</summary>
    /// <param name="model">The model; moved to <see cref="RnnTrainingOptions.Device"/> and trained in place.</param>
    /// <param name="train">Training pairs (at least one).</param>
    /// <param name="validation">Validation pairs, or <see langword="null"/> to train all epochs and keep the last weights.</param>
    /// <param name="progress">Receives progress reports (on the training thread), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>Per-epoch metrics (losses in nats per target token; accuracy = teacher-forced next-token accuracy).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/>, <paramref name="train"/> or an example is null.</exception>
    /// <exception cref="ArgumentException">There are no training pairs, or an id is out of range (targets hold ordinary ids only).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the model holds the best weights so far.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public TrainingResult Train(
        EncoderDecoderModel model,
        IReadOnlyList<SequencePair> train,
        IReadOnlyList<SequencePair>? validation,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var trainSet = PairSet.Create(model, train, nameof(train));
        var validationSet = validation is null ? null : PairSet.Create(model, validation, nameof(validation));
        return Run(model, trainSet, validationSet, progress, cancellationToken);
    }

    /// <summary>Trains a conditioned generator.</summary>
    /// <param name="model">The model; moved to <see cref="RnnTrainingOptions.Device"/> and trained in place.</param>
    /// <param name="train">Training examples (at least one).</param>
    /// <param name="validation">Validation examples, or <see langword="null"/> to train all epochs and keep the last weights.</param>
    /// <param name="progress">Receives progress reports (on the training thread), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>Per-epoch metrics (losses in nats per target token; accuracy = teacher-forced next-token accuracy).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/>, <paramref name="train"/> or an example is null.</exception>
    /// <exception cref="ArgumentException">There are no training examples, a condition has the wrong size, or an id is out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the model holds the best weights so far.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public TrainingResult Train(
        ConditionedGeneratorModel model,
        IReadOnlyList<ConditionedSequence> train,
        IReadOnlyList<ConditionedSequence>? validation,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var trainSet = ConditionSet.Create(model, train, nameof(train));
        var validationSet = validation is null ? null : ConditionSet.Create(model, validation, nameof(validation));
        return Run(model, trainSet, validationSet, progress, cancellationToken);
    }

    /// <summary>Teacher-forced negative log-likelihood of pairs under an encoder–decoder.</summary>
    /// <param name="model">The model (run in evaluation mode without gradients; its mode is restored).</param>
    /// <param name="data">The pairs (at least one).</param>
    /// <param name="batchSize">Pairs per batch, ≥ 1.</param>
    /// <returns>Loss in nats per target token (EOS included), next-token accuracy, and the number of target tokens.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There is no data or an id is out of range.</exception>
    public static EvaluationResult Evaluate(EncoderDecoderModel model, IReadOnlyList<SequencePair> data, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Evaluate(model, PairSet.Create(model, data, nameof(data)), batchSize);
    }

    /// <summary>Teacher-forced negative log-likelihood of sequences under a conditioned generator (e.g. with true versus swapped conditions).</summary>
    /// <param name="model">The model (run in evaluation mode without gradients; its mode is restored).</param>
    /// <param name="data">The examples (at least one).</param>
    /// <param name="batchSize">Examples per batch, ≥ 1.</param>
    /// <returns>Loss in nats per target token (EOS included), next-token accuracy, and the number of target tokens.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There is no data, a condition has the wrong size, or an id is out of range.</exception>
    public static EvaluationResult Evaluate(ConditionedGeneratorModel model, IReadOnlyList<ConditionedSequence> data, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Evaluate(model, ConditionSet.Create(model, data, nameof(data)), batchSize);
    }

    private TrainingResult Run(Module model, IExampleSet train, IExampleSet? validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var options = Options;
        using var loop = new EpochLoop(model, options, progress, cancellationToken);
        var random = new Random(options.Seed);
        var batcher = new LengthBucketBatcher(options.BatchSize, options.BucketMultiplier);
        return loop.Run(TrainEpoch, validation is null ? null : () => Evaluate(model, validation, options.BatchSize));

        void TrainEpoch()
        {
            var plan = batcher.PlanTrainingBatches(train.BucketLengths, random);
            loop.BeginSteps(plan.Count);
            foreach (int[] positions in plan)
            {
                loop.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (logits, expected, count) = train.Forward(positions, options.Device);          // (T, B, V), (T, B)
                var loss = cross_entropy(logits.reshape(-1, logits.shape[2]), expected.reshape(-1), ignore_index: TargetVocabulary.PadId);
                loop.Step(loss, count, count);
            }
        }
    }

    private static EvaluationResult Evaluate(Module model, IExampleSet data, int batchSize) =>
        GeneratorSearch.Run(model, () =>
        {
            var device = GeneratorSearch.DeviceOf(model);
            double total = 0;
            long correct = 0, count = 0;
            foreach (int[] positions in new LengthBucketBatcher(batchSize).PlanEvaluationBatches(data.BucketLengths))
            {
                using var scope = NewDisposeScope();
                var (logits, expected, n) = data.Forward(positions, device);
                var flat = logits.reshape(-1, logits.shape[2]);
                var targets = expected.reshape(-1);
                total += cross_entropy(flat, targets, ignore_index: TargetVocabulary.PadId, reduction: Reduction.Sum).item<float>();
                var real = targets.ne(TargetVocabulary.PadId);
                correct += flat.argmax(-1).eq(targets).logical_and(real).sum().item<long>();
                count += n;
            }

            return new EvaluationResult(total / count, (double)correct / count, count);
        });

    /// <summary>A checked data set that turns a batch of its examples into teacher-forced logits and expected ids.</summary>
    private interface IExampleSet
    {
        IReadOnlyList<int> BucketLengths { get; }

        (Tensor Logits, Tensor Expected, long Count) Forward(int[] positions, Device device);
    }

    private sealed class PairSet(EncoderDecoderModel model, IReadOnlyList<SequencePair> pairs) : IExampleSet
    {
        public IReadOnlyList<int> BucketLengths { get; } = pairs.Select(p => p.Source.Length).ToArray();

        public static PairSet Create(EncoderDecoderModel model, IReadOnlyList<SequencePair> pairs, string paramName)
        {
            ArgumentNullException.ThrowIfNull(pairs, paramName);
            if (pairs.Count == 0)
                throw new ArgumentException($"{paramName}: expected at least one pair, got none.", paramName);
            for (int i = 0; i < pairs.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(pairs[i], $"{paramName}[{i}]");
                ArgumentNullException.ThrowIfNull(pairs[i].Source, $"{paramName}[{i}].Source");
            }

            GeneratorChecks.IdsInRange(pairs.Select(p => p.Source), model.Config.SourceVocabSize, paramName);
            GeneratorChecks.Targets(pairs.Select(p => p.Target), model.Config.TargetVocabSize, paramName);
            return new PairSet(model, pairs);
        }

        public (Tensor Logits, Tensor Expected, long Count) Forward(int[] positions, Device device)
        {
            var (ids, lengths) = GeneratorBatches.Sources(positions.Select(i => pairs[i].Source).ToArray(), model.Config.SourcePadId, device);
            var (inputs, expected, count) = GeneratorBatches.Targets(positions.Select(i => pairs[i].Target).ToArray(), device);
            var start = model.Start(ids, lengths).Start;
            var (logits, _) = model.Decoder.Forward(inputs, start.State, start.Memory, null);
            return (logits, expected, count);
        }
    }

    private sealed class ConditionSet(ConditionedGeneratorModel model, IReadOnlyList<ConditionedSequence> examples) : IExampleSet
    {
        public IReadOnlyList<int> BucketLengths { get; } = examples.Select(e => e.Target.Length).ToArray();

        public static ConditionSet Create(ConditionedGeneratorModel model, IReadOnlyList<ConditionedSequence> examples, string paramName)
        {
            ArgumentNullException.ThrowIfNull(examples, paramName);
            if (examples.Count == 0)
                throw new ArgumentException($"{paramName}: expected at least one example, got none.", paramName);
            for (int i = 0; i < examples.Count; i++)
                ArgumentNullException.ThrowIfNull(examples[i], $"{paramName}[{i}]");
            GeneratorChecks.Conditions(examples.Select(e => e.Condition), model.Config.ConditionSize, paramName);
            GeneratorChecks.Targets(examples.Select(e => e.Target), model.Config.TargetVocabSize, paramName);
            return new ConditionSet(model, examples);
        }

        public (Tensor Logits, Tensor Expected, long Count) Forward(int[] positions, Device device)
        {
            var condition = GeneratorBatches.Conditions(positions.Select(i => examples[i].Condition).ToArray(), device);
            var (inputs, expected, count) = GeneratorBatches.Targets(positions.Select(i => examples[i].Target).ToArray(), device);
            var start = model.Start(condition);
            var (logits, _) = model.Decoder.Forward(inputs, start.State, null, start.FirstStepCondition);
            return (logits, expected, count);
        }
    }
}
