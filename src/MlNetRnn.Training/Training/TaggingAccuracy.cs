namespace MlNetRnn.Training.Training;

/// <summary>
/// Token accuracy of a tagger, overall and separately on words seen in training (known) and not seen (unknown).
/// </summary>
/// <param name="Tokens">Number of tokens scored.</param>
/// <param name="Correct">Number of tokens whose predicted tag equals the gold tag (ordinal).</param>
/// <param name="KnownTokens">Number of tokens whose word is known.</param>
/// <param name="KnownCorrect">Number of known-word tokens tagged correctly.</param>
public sealed record TaggingAccuracy(long Tokens, long Correct, long KnownTokens, long KnownCorrect)
{
    /// <summary>Accuracy over all tokens (0 when there are none).</summary>
    public double All => Fraction(Correct, Tokens);

    /// <summary>Accuracy over known-word tokens (0 when there are none).</summary>
    public double Known => Fraction(KnownCorrect, KnownTokens);

    /// <summary>Accuracy over unknown-word tokens (0 when there are none).</summary>
    public double Unknown => Fraction(Correct - KnownCorrect, UnknownTokens);

    /// <summary>Number of tokens whose word is unknown.</summary>
    public long UnknownTokens => Tokens - KnownTokens;

    /// <summary>Scores predicted tags against gold tags.</summary>
    /// <param name="sentences">Each sentence's words, gold tags and predicted tags (three lists of one length).</param>
    /// <param name="isKnown">Whether a word counts as known (usually: it occurs in the training data as written).</param>
    /// <param name="mapTag">Applied to gold and predicted tags before comparing (for example Brown → universal tags), or <see langword="null"/>.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="ArgumentNullException">An argument or a list is null.</exception>
    /// <exception cref="ArgumentException">A sentence's lists differ in length.</exception>
    public static TaggingAccuracy Measure(
        IEnumerable<(IReadOnlyList<string> Words, IReadOnlyList<string> Gold, IReadOnlyList<string> Predicted)> sentences,
        Func<string, bool> isKnown, Func<string, string>? mapTag = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(isKnown);
        long tokens = 0, correct = 0, known = 0, knownCorrect = 0;
        int index = 0;
        foreach (var (words, gold, predicted) in sentences)
        {
            ArgumentNullException.ThrowIfNull(words, nameof(sentences));
            ArgumentNullException.ThrowIfNull(gold, nameof(sentences));
            ArgumentNullException.ThrowIfNull(predicted, nameof(sentences));
            if (gold.Count != words.Count || predicted.Count != words.Count)
                throw new ArgumentException($"Sentence {index}: expected one gold and one predicted tag per word, got {words.Count} words, {gold.Count} gold and {predicted.Count} predicted tags.", nameof(sentences));
            for (int i = 0; i < words.Count; i++)
            {
                bool ok = mapTag is null ? gold[i] == predicted[i] : mapTag(gold[i]) == mapTag(predicted[i]);
                bool isKnownWord = isKnown(words[i]);
                tokens++;
                correct += ok ? 1 : 0;
                known += isKnownWord ? 1 : 0;
                knownCorrect += ok && isKnownWord ? 1 : 0;
            }
            index++;
        }
        return new TaggingAccuracy(tokens, correct, known, knownCorrect);
    }

    private static double Fraction(long part, long whole) => whole == 0 ? 0.0 : (double)part / whole;
}
