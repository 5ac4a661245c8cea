namespace MlNetRnn.Transforms.Batching;

/// <summary>The tuning knobs of batched scoring, already validated (see <c>RnnScorerSettings.Batching</c>).</summary>
/// <param name="BatchSize">Most rows per ONNX Runtime call.</param>
/// <param name="WindowSize">Rows read ahead and sorted together.</param>
/// <param name="MaxTokensPerBatch">Most padded id slots per call.</param>
/// <param name="Concurrency">Batches run at the same time.</param>
internal readonly record struct BatchSettings(int BatchSize, int WindowSize, int MaxTokensPerBatch, int Concurrency)
{
    /// <summary>Cap on one batch's language-model output (<c>rows × length × vocab</c> floats): 16 M floats = 64 MB.</summary>
    public const long MaxLanguageModelOutputFloats = 16L * 1024 * 1024;
}
