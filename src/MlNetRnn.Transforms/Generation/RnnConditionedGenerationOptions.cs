namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Settings of <see cref="RnnGenerationCatalog.GenerateFromCondition(Microsoft.ML.TransformsCatalog, RnnConditionedGenerationOptions)"/>:
/// a conditioned generator package, the condition column, the added columns and the sampling knobs.
/// </summary>
/// <remarks>
/// <para>
/// Set exactly one of <see cref="PackagePath"/> and <see cref="PackageBytes"/>. The estimator copies and checks these options
/// when it is created.
/// </para>
/// <para>
/// <b>Sampling.</b> Each token is drawn from <c>softmax(logP / Temperature)</c> over the <see cref="TopK"/> most likely
/// tokens (padding and BOS are never drawn) until EOS or <see cref="MaxLength"/>. Every row draws from its own
/// <see cref="Random"/> seeded with the row's seed: the value of <see cref="SeedColumnName"/>, or else
/// <see cref="Seed"/> + the row's position in the input (0, 1, 2, …). A row's text depends only on its condition and its
/// seed, never on which rows are decoded with it, so the output is reproducible.
/// </para>
/// <para>
/// <b>Input.</b> A vector of <c>Single</c> of the package's condition size, or a key whose count is the condition size (key
/// k is the one-hot vector with 1 at index k − 1). A missing key (0) gives an empty text and a log-probability of NaN.
/// </para>
/// </remarks>
public sealed class RnnConditionedGenerationOptions
{
    /// <summary>Path of the generator package. Read once, when the estimator is created.</summary>
    public string? PackagePath { get; set; }

    /// <summary>The generator package itself. Copied when the estimator is created.</summary>
    public byte[]? PackageBytes { get; set; }

    /// <summary>The condition column: Vector&lt;Single, size&gt; or a key of size classes. Default <c>"Condition"</c>.</summary>
    public string InputColumnName { get; set; } = "Condition";

    /// <summary>The generated text (Text). Default <c>"GeneratedText"</c>.</summary>
    public string OutputColumnName { get; set; } = "GeneratedText";

    /// <summary>The drawn sequence's log-probability under the model (Single; before temperature and top-k). Default <c>"GeneratedLogProbability"</c>.</summary>
    public string LogProbabilityColumnName { get; set; } = "GeneratedLogProbability";

    /// <summary>Softmax temperature, finite and ≥ 0; 0 takes the most likely token every step. Default 1.</summary>
    public double Temperature { get; set; } = 1;

    /// <summary>Draw among the k most likely tokens only; 0 (default) = all tokens.</summary>
    public int TopK { get; set; }

    /// <summary>A column (Int32, Int64 or UInt32, cast to Int32) holding each row's seed; <see langword="null"/> (default) to use <see cref="Seed"/>.</summary>
    public string? SeedColumnName { get; set; }

    /// <summary>Base seed when there is no seed column: row i is seeded with <c>Seed + i</c>. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Most generated tokens per row (EOS not counted). <see langword="null"/> (default): the package's <c>maxTargetLength</c> + 10.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Most rows decoded together. At least 1. Default 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Rows a cursor reads ahead and cuts into batches of <see cref="BatchSize"/> rows. At least 1. Default 256. Does not change any output.</summary>
    public int WindowSize { get; set; } = 256;

    /// <summary>
    /// Batches of a window decoded at the same time, each on its own thread with <see cref="IntraOpThreads"/> ONNX Runtime
    /// threads. At least 1. Default: the number of processors (as the scoring transformer). Does not change any output.
    /// </summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>ONNX Runtime intra-op threads per session; 0 = ONNX Runtime's default (one per core). Default 1.</summary>
    public int IntraOpThreads { get; set; } = 1;
}
