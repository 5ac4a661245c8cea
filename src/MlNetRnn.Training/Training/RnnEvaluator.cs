using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace MlNetRnn.Training.Training;

/// <summary>Measures a model's loss and accuracy on data, in evaluation mode (no dropout) and without gradients.</summary>
/// <remarks>
/// Runs on the model's device; the model's training/evaluation mode is restored afterwards. Padding never counts:
/// sequence classification is per sequence, token classification per real token, a language model per predicted token.
/// </remarks>
public static class RnnEvaluator
{
    /// <summary>Evaluates a sequence classifier.</summary>
    /// <param name="model">A model with <see cref="RnnTask.SequenceClassification"/>.</param>
    /// <param name="examples">The examples (at least one).</param>
    /// <param name="batchSize">Sequences per batch (≥ 1); batches are length-sorted, the result does not depend on it beyond rounding.</param>
    /// <returns>Nats per sequence and per-sequence accuracy.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model's task differs, or an id or label is out of the model's range.</exception>
    public static EvaluationResult Evaluate(RnnSequenceModel model, IReadOnlyList<SequenceExample> examples, int batchSize = 64)
    {
        TrainingSupport.RequireTask(model, RnnTask.SequenceClassification, nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Evaluate(model, ClassificationSet.From(examples, model.Config, nameof(examples)), batchSize);
    }

    /// <summary>Evaluates a token classifier.</summary>
    /// <param name="model">A model with <see cref="RnnTask.TokenClassification"/>.</param>
    /// <param name="examples">The examples (at least one with tokens).</param>
    /// <param name="batchSize">Sequences per batch (≥ 1).</param>
    /// <returns>Nats per token and per-token accuracy, padding excluded.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model's task differs, or an id or tag is out of the model's range.</exception>
    public static EvaluationResult Evaluate(RnnSequenceModel model, IReadOnlyList<TaggedSequence> examples, int batchSize = 64)
    {
        TrainingSupport.RequireTask(model, RnnTask.TokenClassification, nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Evaluate(model, ClassificationSet.From(examples, model.Config, nameof(examples)), batchSize);
    }

    /// <summary>Evaluates a language model on one token stream, carrying the state through it (see <see cref="TokenStreamBatches"/>).</summary>
    /// <param name="model">A model with <see cref="RnnTask.LanguageModel"/>.</param>
    /// <param name="stream">The token ids in text order (at least <c>2 · batchSize</c>).</param>
    /// <param name="batchSize">Parallel streams (≥ 1); fewer streams predict more of the tokens (each stream's first is not predicted).</param>
    /// <param name="chunkLength">Steps per forward call (≥ 1); with the state carried it does not change the result.</param>
    /// <returns>Nats per token and next-token accuracy.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model's task differs, an id is out of range, or the stream is too short.</exception>
    public static EvaluationResult EvaluateLanguageModel(RnnSequenceModel model, IReadOnlyList<int> stream, int batchSize = 8, int chunkLength = 256)
    {
        TrainingSupport.RequireTask(model, RnnTask.LanguageModel, nameof(model));
        ArgumentNullException.ThrowIfNull(stream);
        TrainingSupport.CheckIds([stream as int[] ?? stream.ToArray()], model.Config.VocabSize, nameof(stream));
        using var batches = new TokenStreamBatches(stream, batchSize, chunkLength, TrainingSupport.DeviceOf(model));
        return EvaluateLanguageModel(model, batches);
    }

    internal static EvaluationResult Evaluate(RnnSequenceModel model, ClassificationSet data, int batchSize)
    {
        var device = TrainingSupport.DeviceOf(model);
        var plan = new LengthBucketBatcher(batchSize).PlanEvaluationBatches(data.Lengths);
        int C = model.Config.OutputSize;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var outer = NewDisposeScope();
            var lossSum = zeros(1, ScalarType.Float64, device);
            var correct = zeros(1, ScalarType.Int64, device);
            long count = 0;
            foreach (int[] positions in plan)
            {
                using var scope = NewDisposeScope();
                var batch = data.CreateBatch(positions, device);
                var logits = TrainingSupport.Forward(model, batch).Logits;  // (B, C) or (T, B, C)
                var flatLogits = logits.reshape(-1, C);                         // (N, C)
                var targets = batch.Targets.reshape(-1);                        // (N), IgnoredTarget at padding
                lossSum.add_(cross_entropy(flatLogits, targets, ignore_index: SequenceBatch.IgnoredTarget, reduction: nn.Reduction.Sum));
                correct.add_(flatLogits.argmax(-1).eq(targets).sum());
                count += data.PerToken ? batch.TokenCount : batch.Size;
            }

            return new EvaluationResult(lossSum.item<double>() / count, correct.item<long>() / (double)count, count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    internal static EvaluationResult EvaluateLanguageModel(RnnSequenceModel model, TokenStreamBatches batches)
    {
        var device = TrainingSupport.DeviceOf(model);
        int V = model.Config.OutputSize;
        bool wasTraining = model.training;
        model.eval();
        Tensor? h = null, c = null;
        try
        {
            using var noGrad = no_grad();
            using var outer = NewDisposeScope();
            var lossSum = zeros(1, ScalarType.Float64, device);
            var correct = zeros(1, ScalarType.Int64, device);
            for (int i = 0; i < batches.ChunkCount; i++)
            {
                using var scope = NewDisposeScope();
                var (x, y) = batches.GetChunk(i);                                // (k, B) each
                var lengths = full(batches.BatchSize, batches.ChunkSteps(i), ScalarType.Int64);
                var output = model.forward(x, lengths, h, c);
                var logits = output.Logits.reshape(-1, V);                       // (k*B, V)
                var targets = y.reshape(-1);                                     // (k*B)
                lossSum.add_(cross_entropy(logits, targets, reduction: nn.Reduction.Sum));
                correct.add_(logits.argmax(-1).eq(targets).sum());
                h?.Dispose();
                c?.Dispose();
                h = output.FinalHidden.MoveToOuterDisposeScope();
                c = output.FinalCell?.MoveToOuterDisposeScope();
            }

            long count = batches.TargetCount;
            return new EvaluationResult(lossSum.item<double>() / count, correct.item<long>() / (double)count, count);
        }
        finally
        {
            h?.Dispose();
            c?.Dispose();
            model.train(wasTraining);
        }
    }
}
