namespace MlNetRnn.Training.Datasets;

/// <summary>One word of a pronouncing dictionary with its pronunciation.</summary>
/// <param name="Word">The word's spelling (for the CMU dictionary: lowercase letters and apostrophes).</param>
/// <param name="Phonemes">The phonemes, in order (for the CMU dictionary: ARPAbet without stress digits).</param>
public sealed record WordPronunciation(string Word, IReadOnlyList<string> Phonemes);
