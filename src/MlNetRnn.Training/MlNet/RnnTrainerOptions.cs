using System.Globalization;
using Microsoft.ML;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;

namespace MlNetRnn.Training;

/// <summary>
/// Settings shared by the ML.NET trainers <see cref="RnnSequenceClassifierTrainer"/> and <see cref="RnnTokenClassifierTrainer"/>:
/// the columns, the model's shape, the training run, the vocabulary, the validation data, progress and cancellation.
/// </summary>
/// <remarks>
/// The trainer copies and checks these options when it is created (an out-of-range value throws there, naming the option),
/// so changing them afterwards has no effect on it. Defaults suit a small model on a CPU.
/// </remarks>
public abstract class RnnTrainerOptions
{
    private protected RnnTrainerOptions()
    {
    }

    /// <summary>
    /// The input column: raw text (tokenized with <see cref="Tokenization"/>; the vocabulary is built from the training rows)
    /// or a variable-length vector of <c>Key&lt;UInt32&gt;</c> token keys (key <c>k</c> is id <c>k</c>; key 0, missing, is
    /// the unknown token). Default <c>"Text"</c>.
    /// </summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>The label column (a key; see the derived options for its shape). Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The probabilities column the transformer adds. Default <c>"Score"</c>, as ML.NET's evaluators expect.</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>The predicted class column (a key with the label's key values). Default <c>"PredictedLabel"</c>.</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>The recurrent cell. Default <see cref="RnnCellType.Lstm"/>.</summary>
    public RnnCellType Cell { get; set; } = RnnCellType.Lstm;

    /// <summary>Size of each token embedding. Default 64.</summary>
    public int EmbeddingDim { get; set; } = 64;

    /// <summary>Hidden size of each direction of each layer. Default 64.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Number of stacked recurrent layers. Default 1.</summary>
    public int NumLayers { get; set; } = 1;

    /// <summary>Whether each layer also runs right to left. Default true.</summary>
    public bool Bidirectional { get; set; } = true;

    /// <summary>Dropout probability between layers and before the head, in training only. Default 0.</summary>
    public double Dropout { get; set; }

    /// <summary>
    /// Probability, in training only, of replacing a token's id by the unknown id, so that the unknown token's embedding is
    /// trained and the model learns to do without the word (with a character encoder, the word's characters are kept). In
    /// <c>[0, 1)</c>; default 0.
    /// </summary>
    public double WordDropout { get; set; }

    /// <summary>Dropout probability on each step's input (the token embedding, and the character features of a character-aware tagger), in training only. In <c>[0, 1)</c>; default 0.</summary>
    public double EmbeddingDropout { get; set; }

    /// <summary>Number of passes over the training data. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Sequences per batch. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Adam's learning rate. Default 0.001.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Factor applied to the learning rate after every epoch. Default 1 (constant).</summary>
    public double LearningRateDecay { get; set; } = 1.0;

    /// <summary>Largest global L2 norm of the gradient (clipping); <see langword="null"/> or 0 turns clipping off. Default 5.</summary>
    public double? MaxGradNorm { get; set; } = 5.0;

    /// <summary>
    /// Stop after this many epochs in a row without a lower validation loss; <see langword="null"/> (default) never stops early.
    /// Needs validation data (<see cref="ValidationSet"/> or <see cref="ValidationFraction"/>).
    /// </summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>Seeds the weight initialisation, dropout, batch shuffling and the validation split. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>How a text input column is cut into tokens. Default: words, lowercased, <see cref="TokenizationSettings.DefaultWordPattern"/>.</summary>
    public TokenizationSettings Tokenization { get; set; } = new(TokenizationLevel.Word, lowercase: true);

    /// <summary>Text input: keep tokens seen at least this often in the training rows (others become the unknown token). Default 1.</summary>
    public int MinTokenCount { get; set; } = 1;

    /// <summary>Text input: largest vocabulary, the padding and unknown ids included; <see langword="null"/> (default) for no limit.</summary>
    public int? MaxVocabularySize { get; set; }

    /// <summary>
    /// Text input: pretrained word vectors (for example <see cref="Datasets.WinkWordEmbeddings"/>) that initialise the embedding
    /// rows of the vocabulary's words that have one; <see cref="EmbeddingDim"/> must equal their
    /// <see cref="WordVectors.Dimensions"/>. Default <see langword="null"/> (random initialisation).
    /// </summary>
    /// <remarks>
    /// A token is looked up as it is, then lowercased; tokens without a vector keep a random row on the vectors' scale (see
    /// <see cref="Models.RnnSequenceModel.InitializeEmbedding"/>). Tokenize as the vectors were made: GloVe's words are
    /// lowercase, as is the default <see cref="Tokenization"/>. The vectors are only read during <c>Fit</c>.
    /// </remarks>
    public WordVectors? PretrainedWordVectors { get; set; }

    /// <summary>
    /// With <see cref="PretrainedWordVectors"/>: <see langword="true"/> keeps the embedding fixed during training (only the
    /// recurrent layers and the head learn); <see langword="false"/> (default) fine-tunes it.
    /// </summary>
    public bool FreezeEmbedding { get; set; }

    /// <summary>
    /// With <see cref="PretrainedWordVectors"/>: after the training rows' tokens, also add to the vocabulary the first this many
    /// pretrained words (most frequent first) that it lacks and that the tokenizer produces as one token, so that words unseen
    /// in training still have a meaningful vector. Each adds <c>4 × EmbeddingDim</c> bytes to the model. Not limited by
    /// <see cref="MaxVocabularySize"/>. Default 0.
    /// </summary>
    public int PretrainedWordCount { get; set; }

    /// <summary>
    /// Validation rows with the same columns as the training data, scored after every epoch; the model keeps the weights of
    /// the epoch with the lowest validation loss. Default <see langword="null"/>.
    /// </summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>
    /// When <see cref="ValidationSet"/> is not set: the fraction of training rows (chosen with <see cref="Seed"/>) held out
    /// for validation, in <c>[0, 1)</c>; 0 (default) trains on every row and keeps the last epoch's weights.
    /// </summary>
    public double ValidationFraction { get; set; }

    /// <summary>Receives progress reports on the training thread; <see langword="null"/> (default) for none.</summary>
    /// <remarks>Every epoch is also reported to <c>MLContext.Log</c> (see the trainers' remarks).</remarks>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Cancels <c>Fit</c>, which then throws <see cref="OperationCanceledException"/> (checked before every training step).</summary>
    public CancellationToken CancellationToken { get; set; }

    internal RnnTrainingOptions ToTrainingOptions() => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        LearningRateDecay = LearningRateDecay,
        MaxGradNorm = MaxGradNorm,
        EarlyStoppingPatience = EarlyStoppingPatience,
        Seed = Seed,
    };

    /// <summary>A checked copy: what a trainer keeps, so later changes to these options do not affect it.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    internal RnnTrainerOptions Checked()
    {
        var copy = (RnnTrainerOptions)MemberwiseClone();
        copy.Validate();
        return copy;
    }

    /// <summary>Checks the settings of a derived trainer's own options (called by <see cref="Checked"/> after the shared ones).</summary>
    private protected virtual void ValidateOwn()
    {
    }

    /// <summary>Throws the options' <see cref="ArgumentException"/> ("Name: expected …, got …") unless <paramref name="ok"/>.</summary>
    private protected static void Require(bool ok, string name, string expected, object? actual)
    {
        if (!ok)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name}: expected {expected}, got {actual ?? "null"}."), name);
    }

    private void Validate()
    {

        foreach (var (name, value) in new[] { (nameof(InputColumnName), InputColumnName), (nameof(LabelColumnName), LabelColumnName), (nameof(ScoreColumnName), ScoreColumnName), (nameof(PredictedLabelColumnName), PredictedLabelColumnName) })
            Require(!string.IsNullOrWhiteSpace(value), name, "a column name", value is null ? null : $"'{value}'");
        Require(Enum.IsDefined(Cell), nameof(Cell), "a defined RnnCellType", Cell);
        Require(EmbeddingDim >= 1, nameof(EmbeddingDim), "at least 1", EmbeddingDim);
        Require(HiddenSize >= 1, nameof(HiddenSize), "at least 1", HiddenSize);
        Require(NumLayers >= 1, nameof(NumLayers), "at least 1", NumLayers);
        Require(Dropout is >= 0.0 and < 1.0, nameof(Dropout), "a probability in [0, 1)", Dropout);
        Require(WordDropout is >= 0.0 and < 1.0, nameof(WordDropout), "a probability in [0, 1)", WordDropout);
        Require(EmbeddingDropout is >= 0.0 and < 1.0, nameof(EmbeddingDropout), "a probability in [0, 1)", EmbeddingDropout);
        Require(Tokenization is not null, nameof(Tokenization), "tokenization settings", null);
        Require(MinTokenCount >= 1, nameof(MinTokenCount), "at least 1", MinTokenCount);
        Require(MaxVocabularySize is null or >= 2, nameof(MaxVocabularySize), "null or at least 2 (the padding and unknown ids)", MaxVocabularySize);
        Require(PretrainedWordCount >= 0, nameof(PretrainedWordCount), "at least 0", PretrainedWordCount);
        Require(PretrainedWordVectors is not null || (!FreezeEmbedding && PretrainedWordCount == 0), PretrainedWordCount > 0 ? nameof(PretrainedWordCount) : nameof(FreezeEmbedding),
            "false and 0 without PretrainedWordVectors", FreezeEmbedding ? "true" : PretrainedWordCount);
        if (PretrainedWordVectors is { } vectors)
            Require(EmbeddingDim == vectors.Dimensions, nameof(EmbeddingDim), $"{vectors.Dimensions} (the dimensions of PretrainedWordVectors)", EmbeddingDim);
        Require(ValidationFraction is >= 0.0 and < 1.0, nameof(ValidationFraction), "a fraction in [0, 1)", ValidationFraction);
        Require(EarlyStoppingPatience is null || ValidationSet is not null || ValidationFraction > 0, nameof(EarlyStoppingPatience),
            "null when there is no validation data (set ValidationSet or ValidationFraction)", EarlyStoppingPatience);
        ValidateOwn();
        try
        {
            ToTrainingOptions().Validate();
        }
        catch (ArgumentException e)
        {
            // Same rules as the lower-level trainer; name our own option rather than RnnTrainingOptions'.
            throw new ArgumentException(e.Message.Replace("RnnTrainingOptions.", string.Empty, StringComparison.Ordinal), e.ParamName, e);
        }
    }
}
