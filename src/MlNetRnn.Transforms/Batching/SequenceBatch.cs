namespace MlNetRnn.Transforms.Batching;

/// <summary>One ONNX Runtime call: rows <c>order[Start..Start+Count)</c> of a window, padded to <see cref="PaddedLength"/>.</summary>
/// <param name="Start">First position in the planner's order array.</param>
/// <param name="Count">Number of rows (the batch dimension).</param>
/// <param name="PaddedLength">The sequence dimension: the longest row of the batch, at least 1.</param>
internal readonly record struct SequenceBatch(int Start, int Count, int PaddedLength)
{
    /// <summary>Number of id slots fed to the model, padding included.</summary>
    public long PaddedTokens => (long)Count * PaddedLength;
}
