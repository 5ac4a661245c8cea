using Microsoft.ML.OnnxRuntime;

namespace MlNetRnn.Transforms;

/// <summary>
/// Settings of <see cref="RnnCatalog.ScoreRnn(Microsoft.ML.TransformsCatalog, RnnScoringOptions)"/>: the model, the
/// input and output column names, the batching knobs and, for models not exported by MlNetRnn, how to read the model.
/// </summary>
/// <remarks>
/// <para>
/// Set exactly one of <see cref="ModelPath"/> and <see cref="ModelBytes"/>. The estimator copies and checks these options
/// when it is created (an out-of-range number or a blank name throws there, naming the option), so changing them
/// afterwards has no effect on it.
/// </para>
/// <para>
/// Batching: the scorer reads <see cref="WindowSize"/> rows ahead, orders them by length, and cuts them into batches of at
/// most <see cref="BatchSize"/> rows and <see cref="MaxTokensPerBatch"/> padded tokens, each padded only to its own
/// longest row. The defaults were measured on 2 cores with small and medium models (see the package README); they do not
/// change any result, only speed and memory.
/// </para>
/// </remarks>
public sealed class RnnScoringOptions
{
    /// <summary>Default name of the token-id input column.</summary>
    public const string DefaultInputColumnName = "Tokens";

    /// <summary>Path of the ONNX model file. Read once, when the estimator is created.</summary>
    public string? ModelPath { get; set; }

    /// <summary>The ONNX model itself. Copied when the estimator is created.</summary>
    public byte[]? ModelBytes { get; set; }

    /// <summary>
    /// Column of variable-length token ids: a vector of a key type (key <c>k</c> is id <c>k</c>, key 0 — missing — is the
    /// model's unknown id) or of UInt32, Int32 or Int64 ids. Default <c>"Tokens"</c>.
    /// </summary>
    public string InputColumnName { get; set; } = DefaultInputColumnName;

    /// <summary>
    /// Models that read each word's characters (exported with a character encoder; metadata <c>mlnetrnn.char_vocabulary</c>):
    /// a column of the words as written (a vector of text, one entry per token of <see cref="InputColumnName"/>), whose
    /// characters (UTF-16 code units) the scorer maps through the model's character vocabulary (unknown characters to id 1).
    /// Required for such models, refused for others. <c>ScoreRnnText</c> sets it itself. Default null.
    /// </summary>
    public string? CharactersColumnName { get; set; }

    /// <summary>
    /// Classifiers' probabilities. Sequence classification: a vector of the class count (slot names = label names).
    /// Token classification: a variable-length vector of <c>length × classes</c> values, token-major (token <c>t</c>'s
    /// class <c>c</c> at <c>t * classes + c</c>). Default <c>"Score"</c>, as ML.NET's evaluators expect.
    /// </summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>
    /// Classifiers' predicted class as a key whose key values are the label names (so <c>MapKeyToValue</c> and ML.NET's
    /// evaluators work): one key per row (sequence classification) or a key vector with one key per token (token
    /// classification). Default <c>"PredictedLabel"</c>.
    /// </summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>
    /// Language models: the log-probability of each actual next token, a variable-length vector of <c>length − 1</c>
    /// values (entry <c>t</c> is <c>log p(token[t+1] | tokens[0..t])</c>). Default <c>"TokenLogProbabilities"</c>.
    /// </summary>
    public string TokenLogProbabilitiesColumnName { get; set; } = "TokenLogProbabilities";

    /// <summary>Language models: the sum of <see cref="TokenLogProbabilitiesColumnName"/> (0 for fewer than two tokens). Default <c>"LogLikelihood"</c>.</summary>
    public string LogLikelihoodColumnName { get; set; } = "LogLikelihood";

    /// <summary>Language models: <c>exp(−LogLikelihood / (length − 1))</c>; NaN for fewer than two tokens. Default <c>"Perplexity"</c>.</summary>
    public string PerplexityColumnName { get; set; } = "Perplexity";

    /// <summary>
    /// When set, a column with the last layer's final hidden state (<c>directions × hidden</c> values, forward direction
    /// first). Needs a model with a <c>last_hidden</c> output (all MlNetRnn models). Default null (off).
    /// </summary>
    public string? LastHiddenColumnName { get; set; }

    /// <summary>
    /// When set, a column with the last layer's output at every token: a variable-length vector of
    /// <c>length × directions × hidden</c> values, token-major. Needs a <c>hidden_states</c> output. Default null (off).
    /// </summary>
    public string? HiddenStatesColumnName { get; set; }

    /// <summary>
    /// When set, a column with every layer's hidden state at every token: a variable-length vector of
    /// <c>length × layers × directions × hidden</c> values, row-major <c>[token, layer, feature]</c> (forward direction
    /// first within a layer). Needs a model exported with <c>IncludeLayerStates</c> (a <c>layer_hidden_states</c> output);
    /// otherwise the estimator throws when it is created. Default null (off).
    /// </summary>
    public string? LayerHiddenStatesColumnName { get; set; }

    /// <summary>Most rows per ONNX Runtime call. Default 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Rows read ahead and sorted by length together; larger windows pad less but hold more rows in memory. Default 1024.</summary>
    public int WindowSize { get; set; } = 1024;

    /// <summary>
    /// Most padded tokens (<c>rows × longest length</c>) per ONNX Runtime call. A single row longer than this is scored alone
    /// in a batch of its own — never cut, never refused. For language models the budget is further capped so that one
    /// batch's log-probabilities stay under 64 MB. Default 8192.
    /// </summary>
    public int MaxTokensPerBatch { get; set; } = 8192;

    /// <summary>ONNX Runtime intra-op threads per call: 0 (ONNX Runtime's default, one per core) to 256. Default 1.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Batches scored at the same time by one cursor, each on its own thread. For small models several single-threaded
    /// batches beat one batch on several threads; for large models prefer <see cref="Concurrency"/> 1 and more
    /// <see cref="IntraOpThreads"/>. Default: the number of processors.
    /// </summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>When set, run on this CUDA device (install the <c>Microsoft.ML.OnnxRuntime.Gpu</c> package). Default null (CPU).</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>
    /// Called with the session options after this library has applied its own settings, before the session is created: for
    /// any other execution provider or ONNX Runtime setting. Not saved with a model.
    /// </summary>
    public Action<SessionOptions>? ConfigureSessionOptions { get; set; }

    /// <summary>
    /// Models not exported by MlNetRnn: the <c>[batch, seq]</c> integer token-id input. Default null: the model's only
    /// rank-2 integer input.
    /// </summary>
    public string? InputIdsName { get; set; }

    /// <summary>
    /// Models not exported by MlNetRnn: the <c>[batch]</c> integer lengths input. Default null: the model's only rank-1
    /// integer input, if any. Without a lengths input only rows of equal length share a batch, so padding never changes a result.
    /// </summary>
    public string? LengthsName { get; set; }

    /// <summary>
    /// Models not exported by MlNetRnn: the output to read, float <c>[batch, classes]</c> (sequence classification) or
    /// <c>[batch, seq, classes]</c> (token classification). Default null: the model's only output.
    /// </summary>
    public string? OutputName { get; set; }

    /// <summary>Models not exported by MlNetRnn: whether <see cref="OutputName"/> holds logits, turned into probabilities with a softmax. Default true.</summary>
    public bool OutputIsLogits { get; set; } = true;

    /// <summary>Models not exported by MlNetRnn: the class names, index = class. Default null: "0", "1", ….</summary>
    public IReadOnlyList<string>? LabelNames { get; set; }

    /// <summary>Models not exported by MlNetRnn: the id written into padded positions. Default 0.</summary>
    public long PadId { get; set; }

    /// <summary>
    /// Models not exported by MlNetRnn: the id that key 0 (missing) becomes. Default null: key 0 is an error.
    /// </summary>
    public long? UnknownId { get; set; }

    /// <summary>
    /// Models not exported by MlNetRnn: the number of ids the embedding accepts; ids at or above it are reported with their
    /// row and column. Default null: only negative ids are checked here (ONNX Runtime's Gather refuses the others, with
    /// the batch's rows named in the message).
    /// </summary>
    public long? VocabularySize { get; set; }
}
