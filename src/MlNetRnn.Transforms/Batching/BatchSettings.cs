namespace MlNetRnn.Transforms.Batching;

/// <summary>The tuning knobs of batched scoring, validated copies of <see cref="RnnScoringOptions"/>.</summary>
/// <param name="BatchSize">Most rows per ONNX Runtime call.</param>
/// <param name="WindowSize">Rows read ahead and sorted together.</param>
/// <param name="MaxTokensPerBatch">Most padded id slots per call.</param>
/// <param name="Concurrency">Batches run at the same time.</param>
internal readonly record struct BatchSettings(int BatchSize, int WindowSize, int MaxTokensPerBatch, int Concurrency)
{
    /// <summary>Cap on one batch's language-model output (<c>rows × length × vocab</c> floats): 16 M floats = 64 MB.</summary>
    public const long MaxLanguageModelOutputFloats = 16L * 1024 * 1024;

    public static BatchSettings From(RnnScoringOptions options)
    {
        Check(options.BatchSize, nameof(options.BatchSize));
        Check(options.WindowSize, nameof(options.WindowSize));
        Check(options.MaxTokensPerBatch, nameof(options.MaxTokensPerBatch));
        Check(options.Concurrency, nameof(options.Concurrency));
        if (options.IntraOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpThreads, $"{nameof(RnnScoringOptions.IntraOpThreads)}: expected 0 (ONNX Runtime's default) or more, got {options.IntraOpThreads}.");
        return new BatchSettings(options.BatchSize, options.WindowSize, options.MaxTokensPerBatch, options.Concurrency);
    }

    private static void Check(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name}: expected at least 1, got {value}.");
    }
}
