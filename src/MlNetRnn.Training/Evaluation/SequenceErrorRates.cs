namespace MlNetRnn.Training.Evaluation;

/// <summary>
/// Error rates of predicted token sequences against references, as reported for grapheme-to-phoneme conversion: the word
/// error rate (a sequence with any token wrong is an error) and the token error rate (phoneme error rate: summed Levenshtein
/// distance over summed reference length).
/// </summary>
/// <param name="Sequences">The number of sequence pairs scored.</param>
/// <param name="SequenceErrors">The number of predictions that differ from their reference in any way.</param>
/// <param name="ReferenceTokens">The summed length of the references.</param>
/// <param name="TokenEdits">The summed Levenshtein distance (insertions, deletions and substitutions, each costing 1).</param>
public sealed record SequenceErrorRates(int Sequences, int SequenceErrors, long ReferenceTokens, long TokenEdits)
{
    /// <summary>The share of sequences with any token wrong: <see cref="SequenceErrors"/> / <see cref="Sequences"/>.</summary>
    public double WordErrorRate => (double)SequenceErrors / Sequences;

    /// <summary>
    /// <see cref="TokenEdits"/> / <see cref="ReferenceTokens"/>; it can exceed 1 when predictions are longer than their
    /// references, and is <see cref="double.NaN"/> when every reference is empty.
    /// </summary>
    public double TokenErrorRate => ReferenceTokens == 0 ? double.NaN : (double)TokenEdits / ReferenceTokens;

    /// <summary>Scores predictions against references, pair by pair.</summary>
    /// <param name="references">The reference sequences (at least one).</param>
    /// <param name="predictions">One predicted sequence per reference, in the same order.</param>
    /// <returns>The counts and rates.</returns>
    /// <exception cref="ArgumentNullException">A list, or a sequence in it, is null (the message gives its index).</exception>
    /// <exception cref="ArgumentException">The lists are empty or differ in length.</exception>
    public static SequenceErrorRates Compute(IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<IReadOnlyList<string>> predictions)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(predictions);
        if (references.Count == 0)
            throw new ArgumentException("Expected at least one reference sequence, got none.", nameof(references));
        if (predictions.Count != references.Count)
            throw new ArgumentException($"Expected one prediction per reference ({references.Count}), got {predictions.Count}.", nameof(predictions));

        int errors = 0;
        long tokens = 0, edits = 0;
        for (int i = 0; i < references.Count; i++)
        {
            var reference = references[i] ?? throw new ArgumentNullException(nameof(references), $"Reference {i} is null.");
            var prediction = predictions[i] ?? throw new ArgumentNullException(nameof(predictions), $"Prediction {i} is null.");
            int distance = EditDistance(reference, prediction);
            errors += distance > 0 ? 1 : 0;
            tokens += reference.Count;
            edits += distance;
        }
        return new SequenceErrorRates(references.Count, errors, tokens, edits);
    }

    /// <summary>The Levenshtein distance between two token sequences (ordinal token comparison; each edit costs 1).</summary>
    /// <param name="reference">The first sequence.</param>
    /// <param name="prediction">The second sequence.</param>
    /// <returns>The fewest insertions, deletions and substitutions that turn one into the other.</returns>
    /// <exception cref="ArgumentNullException">A sequence is null.</exception>
    public static int EditDistance(IReadOnlyList<string> reference, IReadOnlyList<string> prediction)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(prediction);
        // One row of the dynamic-programming table: previous[j] = distance(reference[..i], prediction[..j]).
        var previous = new int[prediction.Count + 1];
        var current = new int[prediction.Count + 1];
        for (int j = 0; j <= prediction.Count; j++)
            previous[j] = j;
        for (int i = 1; i <= reference.Count; i++)
        {
            current[0] = i;
            for (int j = 1; j <= prediction.Count; j++)
            {
                int substitute = previous[j - 1] + (string.Equals(reference[i - 1], prediction[j - 1], StringComparison.Ordinal) ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[prediction.Count];
    }
}
