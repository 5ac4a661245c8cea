namespace MlNetRnn.Transforms.Batching;

/// <summary>How the planner may cut a window into batches.</summary>
/// <param name="MaxRows">Most rows per batch.</param>
/// <param name="MaxTokens">Most padded id slots (<c>rows × padded length</c>) per batch; a longer single row still gets a batch of its own.</param>
/// <param name="EqualLengthsOnly">Only rows of the same length share a batch (models without a lengths input, where padding would change results).</param>
/// <param name="SkipEmpty">Leave zero-length rows out of every batch (models whose graph has no defined result for them).</param>
internal readonly record struct BatchLimits(int MaxRows, int MaxTokens, bool EqualLengthsOnly, bool SkipEmpty);
