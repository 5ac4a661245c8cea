namespace MlNetRnn.Training.Datasets;

/// <summary>The words a pronouncing dictionary loader kept, with counts of what it left out.</summary>
/// <param name="Entries">The kept words, in file order, each once.</param>
/// <param name="AlternativesDropped">Entries left out because they are a word's alternative pronunciation (<c>word(2)</c>, <c>word(3)</c>, …).</param>
/// <param name="WordsDropped">Primary entries left out because their spelling is outside the kept alphabet (for example <c>a.m.</c> or <c>all-out</c>).</param>
public sealed record PronunciationDictionary(IReadOnlyList<WordPronunciation> Entries, int AlternativesDropped, int WordsDropped)
{
    /// <summary>All entries of the source file: kept and dropped.</summary>
    public int TotalEntries => Entries.Count + AlternativesDropped + WordsDropped;

    /// <summary>The words split 90 / 5 / 5 by <see cref="HashSplit"/> on the word itself.</summary>
    /// <returns>The three parts, each in file order; a word is in exactly one part.</returns>
    public DataSplit<WordPronunciation> Split() => HashSplit.Split(Entries, e => e.Word);
}
