namespace MlNetRnn.Training.Datasets;

/// <summary>One sentence of a part-of-speech tagged corpus.</summary>
/// <param name="Words">The words, in order.</param>
/// <param name="Tags">One tag per word.</param>
/// <param name="Source">The corpus file the sentence comes from (for example <c>ca01</c>).</param>
public sealed record TaggedSentence(IReadOnlyList<string> Words, IReadOnlyList<string> Tags, string Source);
