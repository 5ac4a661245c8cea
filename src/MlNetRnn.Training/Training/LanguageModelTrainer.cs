using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace MlNetRnn.Training.Training;

/// <summary>
/// Trains a next-token language model by truncated backpropagation through time over one long token stream; validates
/// every epoch (nats per token) and keeps the best weights.
/// </summary>
/// <remarks>
/// <para>
/// The stream is laid out as <see cref="RnnTrainingOptions.BatchSize"/> parallel streams cut into chunks of
/// <see cref="RnnTrainingOptions.ChunkLength"/> steps (see <see cref="TokenStreamBatches"/>). The hidden state starts at zero
/// each epoch and is carried from chunk to chunk, detached so that gradients stop at the chunk boundary. Each step:
/// learning rate → forward → cross-entropy per token → backward → gradient clipping → optimizer step → progress → carry
/// the state. One dispose scope per chunk; the loss is accumulated on the device and read only when progress is reported.
/// </para>
/// <para>
/// On return the model holds the weights of the epoch with the lowest validation loss (the last epoch's without validation
/// data) and is in evaluation mode. The same happens when training is cancelled (<see cref="OperationCanceledException"/>)
/// or diverges (<see cref="InvalidOperationException"/>); before the first validation the model keeps its current weights.
/// </para>
/// </remarks>
public sealed class LanguageModelTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="options">The training settings; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public LanguageModelTrainer(RnnTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The training settings.</summary>
    public RnnTrainingOptions Options { get; }

    /// <summary>Trains a language model.</summary>
    /// <param name="model">A model with <see cref="RnnTask.LanguageModel"/>; moved to <see cref="RnnTrainingOptions.Device"/> and trained in place.</param>
    /// <param name="train">The training token ids in text order (at least <c>2 · BatchSize</c>).</param>
    /// <param name="validation">
    /// Validation token ids in text order, or <see langword="null"/> to train all epochs and keep the last weights. Evaluated as
    /// one stream per <c>ChunkLength + 1</c> ids up to <see cref="RnnTrainingOptions.BatchSize"/> streams.
    /// </param>
    /// <param name="progress">Receives progress reports (on the training thread), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before every chunk.</param>
    /// <returns>Per-epoch metrics (losses in nats per token) and the epoch whose weights the model holds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentException">The model is not a language model, a stream is too short, or an id is out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the model holds the best weights so far.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public TrainingResult Train(
        RnnSequenceModel model,
        IReadOnlyList<int> train,
        IReadOnlyList<int>? validation,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TrainingSupport.RequireTask(model, RnnTask.LanguageModel, nameof(model));
        ArgumentNullException.ThrowIfNull(train);
        var options = Options;
        var device = options.Device;
        int V = model.Config.OutputSize, B = options.BatchSize, K = options.ChunkLength;
        TrainingSupport.CheckIds([train as int[] ?? train.ToArray()], model.Config.VocabSize, nameof(train));
        if (validation is not null)
            TrainingSupport.CheckIds([validation as int[] ?? validation.ToArray()], model.Config.VocabSize, nameof(validation));

        using var loop = new EpochLoop(model, options, progress, cancellationToken);
        using var chunks = new TokenStreamBatches(train, B, K, device);
        using var validationChunks = validation is null ? null : new TokenStreamBatches(validation, ValidationStreams(validation.Count, B, K), K, device);
        using var fullLengths = full(B, K, ScalarType.Int64).DetachFromDisposeScope();   // (B), on the CPU where packing wants it
        return loop.Run(TrainEpoch, validationChunks is null ? null : () => RnnEvaluator.EvaluateLanguageModel(model, validationChunks));

        void TrainEpoch()
        {
            loop.BeginSteps(chunks.ChunkCount);
            Tensor? h = null, c = null;                                                    // carried state, (L, B, H); zeros each epoch
            try
            {
                for (int i = 0; i < chunks.ChunkCount; i++)
                {
                    loop.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    int k = chunks.ChunkSteps(i);
                    var (x, y) = chunks.GetChunk(i);                                       // (k, B) each
                    var lengths = k == K ? fullLengths : full(B, k, ScalarType.Int64);    // (B)
                    var output = model.forward(x, lengths, h, c);                          // logits (k, B, V)
                    var loss = cross_entropy(output.Logits.reshape(-1, V), y.reshape(-1)); // nats per token
                    loop.Step(loss, (long)k * B, (long)k * B);

                    // Carry the state into the next chunk, cut from this chunk's graph.
                    var nextH = output.FinalHidden.detach().MoveToOuterDisposeScope();
                    var nextC = output.FinalCell?.detach().MoveToOuterDisposeScope();
                    DisposeState(ref h, ref c);
                    (h, c) = (nextH, nextC);
                }
            }
            finally
            {
                DisposeState(ref h, ref c);
            }
        }
    }

    /// <summary>Parallel validation streams: one per <c>ChunkLength + 1</c> ids, at least 1, at most the training batch size.</summary>
    private static int ValidationStreams(int count, int batchSize, int chunkLength)
    {
        if (count < 2)
            throw new ArgumentException($"validation: expected at least 2 ids (an input and its target), got {count}.", "validation");
        return Math.Clamp(count / (chunkLength + 1), 1, batchSize);
    }

    private static void DisposeState(ref Tensor? h, ref Tensor? c)
    {
        h?.Dispose();
        c?.Dispose();
        h = null;
        c = null;
    }
}
