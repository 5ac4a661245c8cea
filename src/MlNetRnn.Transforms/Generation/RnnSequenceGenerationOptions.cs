namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Settings of <see cref="RnnGenerationCatalog.GenerateSequence(Microsoft.ML.TransformsCatalog, RnnSequenceGenerationOptions)"/>:
/// a sequence-to-sequence generator package, the text column it reads, the columns it adds and the beam search knobs.
/// </summary>
/// <remarks>
/// <para>
/// Set exactly one of <see cref="PackagePath"/> and <see cref="PackageBytes"/>. The estimator copies and checks these options
/// when it is created (an out-of-range number or a blank name throws there, naming the option).
/// </para>
/// <para>
/// <b>Beam search.</b> Each row keeps <see cref="BeamSize"/> hypotheses. At every step all live hypotheses of all rows in a
/// batch go through one decoder-step call; each row's candidates (hypothesis + token, padding and BOS excluded) are ranked by
/// summed log-probability and fill the row's open slots; a hypothesis that ends with EOS is finished and leaves the batch.
/// After <see cref="MaxLength"/> tokens one more step may still choose EOS; otherwise the hypothesis is cut there. The
/// finished hypotheses are ranked by <c>logP / length^LengthPenalty</c> (length counting EOS); the best one is the output.
/// Beam size 1 is greedy decoding. These are the rules of MlNetRnn.Training's <c>GeneratorSearch</c>.
/// </para>
/// <para>
/// <b>Input.</b> The text is tokenized with the package's own tokenization; characters outside the source vocabulary read
/// as its unknown id. Sources longer than the longest seen in training (the manifest's <c>source.maxLength</c>) are decoded
/// anyway. An empty or missing text gives an empty generated text and a log-probability of NaN (nothing is decoded).
/// </para>
/// </remarks>
public sealed class RnnSequenceGenerationOptions
{
    /// <summary>Path of the generator package (<c>.zip</c> with <c>manifest.json</c>, <c>encoder.onnx</c>, <c>decoder-step.onnx</c>). Read once, when the estimator is created.</summary>
    public string? PackagePath { get; set; }

    /// <summary>The generator package itself. Copied when the estimator is created.</summary>
    public byte[]? PackageBytes { get; set; }

    /// <summary>The text column to generate from (Text). Default <c>"Text"</c>.</summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>The generated text (Text): target tokens joined by the package's joiner. Default <c>"GeneratedText"</c>.</summary>
    public string OutputColumnName { get; set; } = "GeneratedText";

    /// <summary>The generated sequence's log-probability (Single): the sum over its tokens and EOS, without the length penalty. Default <c>"GeneratedLogProbability"</c>.</summary>
    public string LogProbabilityColumnName { get; set; } = "GeneratedLogProbability";

    /// <summary>Hypotheses kept per row; 1 is greedy decoding. At least 1, at most 64. Default 4.</summary>
    public int BeamSize { get; set; } = 4;

    /// <summary>
    /// Most generated tokens per row (EOS not counted); longer hypotheses are cut there. <see langword="null"/> (default):
    /// the package's <c>maxTargetLength</c> + 10.
    /// </summary>
    public int? MaxLength { get; set; }

    /// <summary>Length normalization alpha ≥ 0: finished hypotheses are ranked by log-probability / length^alpha (0 ranks by log-probability; larger favours longer ones). Default 0.</summary>
    public double LengthPenalty { get; set; }

    /// <summary>
    /// The number of best hypotheses to output besides the best one, 0 (default) for none, at most <see cref="BeamSize"/>.
    /// When set, <see cref="NBestTextsColumnName"/> (Vector&lt;Text, NBest&gt;) and <see cref="NBestLogProbabilitiesColumnName"/>
    /// (Vector&lt;Single, NBest&gt;) are added, best first.
    /// </summary>
    public int NBest { get; set; }

    /// <summary>The n best texts, best first. Default <c>"NBestTexts"</c>.</summary>
    public string NBestTextsColumnName { get; set; } = "NBestTexts";

    /// <summary>The n best log-probabilities, in the order of <see cref="NBestTextsColumnName"/>. Default <c>"NBestLogProbabilities"</c>.</summary>
    public string NBestLogProbabilitiesColumnName { get; set; } = "NBestLogProbabilities";

    /// <summary>Most rows decoded together (rows × beams hypotheses per decoder-step call). At least 1. Default 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>
    /// Rows a cursor reads ahead; they are ordered by source length (longest first) and cut into batches of
    /// <see cref="BatchSize"/> rows, so each batch pads its sources (and the attention over them) little. At least 1.
    /// Default 256. Does not change any output.
    /// </summary>
    public int WindowSize { get; set; } = 256;

    /// <summary>
    /// Batches of a window decoded at the same time, each on its own thread with <see cref="IntraOpThreads"/> ONNX Runtime
    /// threads. At least 1. Default: the number of processors (as the scoring transformer). Does not change any output.
    /// </summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>ONNX Runtime intra-op threads per session; 0 = ONNX Runtime's default (one per core). Default 1.</summary>
    public int IntraOpThreads { get; set; } = 1;
}
