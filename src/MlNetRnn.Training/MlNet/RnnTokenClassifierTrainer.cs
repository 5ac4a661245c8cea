using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MlNetRnn.Training;

/// <summary>
/// An ML.NET trainer whose <see cref="Fit"/> trains an embedding + RNN/LSTM/GRU token classifier (one tag per token, for example part-of-speech tagging) with
/// TorchSharp and returns it as MlNetRnn.Transforms' batched ONNX scorer. Create it with
/// <see cref="RnnTrainerCatalog.RnnTokenClassifier(MulticlassClassificationCatalog.MulticlassClassificationTrainers, RnnTokenClassifierOptions)"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Data.</b> <c>Fit</c> reads the data once into one <c>int[]</c> of token ids and one of tags per row: 8 bytes per token plus
/// about 110 bytes per row (array headers, example objects and list slots, on 64-bit), and for a text input one dictionary entry per distinct token. Text is
/// tokenized with <see cref="RnnTrainerOptions.Tokenization"/> and the vocabulary is built from the training rows only
/// (validation rows' unseen tokens become the unknown id). A token-key input is used as ids directly (key <c>k</c> = id
/// <c>k</c>); missing keys (key 0) share one extra unknown id, whose embedding is trained only by missing keys in the
/// training rows. Tag <c>c</c> is label key <c>c + 1</c>; a missing tag (key 0)
/// or a row whose tag count differs from its token count is an error naming the row.
/// </para>
/// <para>
/// <b>Characters.</b> With <see cref="RnnTokenClassifierOptions.CharHiddenSize"/> &gt; 0 the model also reads each token's
/// characters (see <see cref="RnnTokenClassifierOptions"/>). A text input then keeps one more <c>int</c> per token (the token
/// as written: 4 bytes, and about 32 bytes more per row) and one dictionary entry per distinct token as written; a token-key
/// input keeps nothing more. The character ids of each distinct token are encoded once; while training, each row refers to
/// them through one more array (8 bytes per token on 64-bit).
/// </para>
/// <para>
/// <b>Reporting.</b> Each epoch's training loss and validation result go to ML.NET's log (<c>MLContext.Log</c>, kind Info,
/// source <c>RnnTokenClassifier; Training</c>) and every progress report to <see cref="RnnTrainerOptions.Progress"/>.
/// </para>
/// <para>
/// <b>Cancellation.</b> Cancelling <see cref="RnnTrainerOptions.CancellationToken"/> makes <c>Fit</c> throw
/// <see cref="OperationCanceledException"/> (checked while reading and before every training step); nothing is returned and
/// the partly trained weights are released.
/// </para>
/// <para><b>Threading.</b> <c>Fit</c> seeds TorchSharp's process-wide generator; run one training at a time per process.</para>
/// </remarks>
public sealed class RnnTokenClassifierTrainer : IEstimator<RnnTrainedTransformer>
{
    private const string Name = "RnnTokenClassifier";
    private readonly IHostEnvironment? environment;
    private readonly RnnTrainerOptions options;

    internal RnnTokenClassifierTrainer(IHostEnvironment? environment, RnnTokenClassifierOptions options)
    {
        this.environment = environment;
        this.options = options.Checked();
    }

    /// <summary>Trains on <paramref name="input"/> and returns the trained scorer.</summary>
    /// <param name="input">The training rows, with the input and label columns.</param>
    /// <returns>The trained model; the caller owns it and disposes it.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type (the message names it), there are no rows, fewer than 2 classes, or the model reads characters and the token keys have no text key values.</exception>
    /// <exception cref="InvalidDataException">A tag is missing (key 0), or a row has not one tag per token; the message names the row.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public RnnTrainedTransformer Fit(IDataView input) => RnnTrainerCore.Fit(input, options, perToken: true, environment, Name);

    /// <summary>The schema shape <see cref="Fit"/>'s transformer produces, for checking a pipeline before any data flows.</summary>
    /// <param name="inputSchema">The input schema shape.</param>
    /// <returns>The input columns plus <c>Score</c> (classes × tokens), <c>PredictedLabel</c> (one key per token), for a text input <c>{input}Tokens</c>, and with characters <c>{input}Words</c>.</returns>
    /// <exception cref="ArgumentException">The input or label column is missing or has the wrong type; the message names the column, the expected and the actual type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        bool isText = TrainerColumns.Check(inputSchema, options, perToken: true, nameof(inputSchema));
        return TrainerColumns.OutputShape(inputSchema, options, perToken: true, isText);
    }
}
