namespace MlNetRnn.Training.Generation;

/// <summary>
/// The generated side's tokens: <see cref="PadToken"/>, <see cref="BosToken"/> and <see cref="EosToken"/> at ids 0, 1 and 2,
/// then the tokens in ordinal order. Characters are tokens joined with <c>""</c>; phonemes or words are joined with <c>" "</c>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class TargetVocabulary
{
    /// <summary>The padding id of target batches; never generated.</summary>
    public const int PadId = 0;

    /// <summary>The id fed as previous token at the first decoder step; never generated.</summary>
    public const int BosId = 1;

    /// <summary>The id that ends a generated sequence.</summary>
    public const int EosId = 2;

    /// <summary>The token of <see cref="PadId"/>.</summary>
    public const string PadToken = "<pad>";

    /// <summary>The token of <see cref="BosId"/>.</summary>
    public const string BosToken = "<s>";

    /// <summary>The token of <see cref="EosId"/>.</summary>
    public const string EosToken = "</s>";

    private readonly string[] tokens;
    private readonly Dictionary<string, int> ids;

    private TargetVocabulary(string[] tokens, string joiner)
    {
        this.tokens = tokens;
        Joiner = joiner;
        ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
            ids[tokens[i]] = i;
    }

    /// <summary>Token of each id (index = id), the three special tokens first.</summary>
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>Number of ids (the model's <c>TargetVocabSize</c>).</summary>
    public int Count => tokens.Length;

    /// <summary>The text placed between tokens by <see cref="Decode"/>.</summary>
    public string Joiner { get; }

    /// <summary>The token of an id.</summary>
    /// <param name="id">An id in <c>[0, Count)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside the vocabulary.</exception>
    public string this[int id] => (uint)id < (uint)tokens.Length
        ? tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Expected a target id in [0, {tokens.Length}).");

    /// <summary>Builds a vocabulary from every distinct token of the sequences (ordinal order after the special tokens).</summary>
    /// <param name="sequences">Token sequences, e.g. each word's characters or phonemes.</param>
    /// <param name="joiner">The text between tokens when decoding: <c>""</c> for characters, <c>" "</c> for phonemes or words.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentNullException">An argument or a sequence is null.</exception>
    /// <exception cref="ArgumentException">A token is empty or one of the special tokens.</exception>
    public static TargetVocabulary Build(IEnumerable<IEnumerable<string>> sequences, string joiner)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var sequence in sequences)
        {
            ArgumentNullException.ThrowIfNull(sequence, nameof(sequences));
            distinct.UnionWith(sequence);
        }

        return FromTokens(distinct, joiner);
    }

    /// <summary>Creates a vocabulary whose ids 3, 4, … are <paramref name="tokens"/> in the given order.</summary>
    /// <param name="tokens">The ordinary tokens, distinct, without the special tokens.</param>
    /// <param name="joiner">The text between tokens when decoding.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A token is null, empty, repeated or one of the special tokens.</exception>
    public static TargetVocabulary FromTokens(IEnumerable<string> tokens, string joiner)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(joiner);
        var all = new List<string> { PadToken, BosToken, EosToken };
        var seen = new HashSet<string>(all, StringComparer.Ordinal);
        foreach (string token in tokens)
        {
            if (string.IsNullOrEmpty(token))
                throw new ArgumentException($"tokens[{all.Count - 3}]: expected a non-empty token, got {(token is null ? "null" : "\"\"")}.", nameof(tokens));
            if (!seen.Add(token))
                throw new ArgumentException($"tokens[{all.Count - 3}]: expected distinct tokens other than {PadToken}, {BosToken} and {EosToken}, got \"{token}\" again.", nameof(tokens));
            all.Add(token);
        }

        return new TargetVocabulary([.. all], joiner);
    }

    /// <summary>The ids of a token sequence (without BOS and EOS).</summary>
    /// <param name="sequence">The tokens.</param>
    /// <returns>A new id array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequence"/> is null.</exception>
    /// <exception cref="ArgumentException">A token is not in the vocabulary or is a special token.</exception>
    public int[] Encode(IEnumerable<string> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var result = new List<int>();
        foreach (string token in sequence)
        {
            if (token is null || !ids.TryGetValue(token, out int id) || id <= EosId)
                throw new ArgumentException($"sequence[{result.Count}]: expected one of the vocabulary's {Count - 3} ordinary tokens, got \"{token}\".", nameof(sequence));
            result.Add(id);
        }

        return [.. result];
    }

    /// <summary>The text of generated ids: tokens joined with <see cref="Joiner"/>, stopping at <see cref="EosId"/>, skipping <see cref="PadId"/> and <see cref="BosId"/>.</summary>
    /// <param name="sequence">Target ids.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequence"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(IEnumerable<int> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var parts = new List<string>();
        foreach (int id in sequence)
        {
            if (id == EosId)
                break;
            if (id is PadId or BosId)
                continue;
            parts.Add(this[id]);
        }

        return string.Join(Joiner, parts);
    }
}
