namespace MlNetRnn.Training.Data;

/// <summary>
/// Pretrained word vectors (for example GloVe): one <see cref="Dimensions"/>-long vector per word, words in the order given
/// (for a loaded set, most frequent first). Used to initialise a model's embedding (see
/// <see cref="Models.RnnSequenceModel.InitializeEmbedding"/> and <see cref="RnnTrainerOptions.PretrainedWordVectors"/>).
/// </summary>
/// <remarks>
/// Words are matched ordinally, as given (GloVe's are lowercase). The vectors are stored in one <see cref="float"/> array,
/// <c>4 × Dimensions</c> bytes per word. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class WordVectors
{
    private readonly string[] words;
    private readonly float[] values;
    private readonly Dictionary<string, int> index;

    /// <summary>Creates a set of word vectors.</summary>
    /// <param name="dimensions">Length of every vector (≥ 1).</param>
    /// <param name="vectors">The words and their vectors, in the order <see cref="Words"/> will list them; the arrays are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="vectors"/>, a word or a vector is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A vector's length differs from <paramref name="dimensions"/>, or a word repeats.</exception>
    public WordVectors(int dimensions, IEnumerable<KeyValuePair<string, float[]>> vectors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentNullException.ThrowIfNull(vectors);
        Dimensions = dimensions;
        var wordList = new List<string>();
        var valueList = new List<float>();
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (word, vector) in vectors)
        {
            ArgumentNullException.ThrowIfNull(word, nameof(vectors));
            if (vector is null)
                throw new ArgumentNullException(nameof(vectors), $"Word vectors: the vector of \"{word}\" is null.");
            if (vector.Length != dimensions)
                throw new ArgumentException($"Word vectors: expected {dimensions} dimensions, but \"{word}\" (word {wordList.Count}) has {vector.Length}.", nameof(vectors));
            if (!index.TryAdd(word, wordList.Count))
                throw new ArgumentException($"Word vectors: expected distinct words, but \"{word}\" appears at positions {index[word]} and {wordList.Count}.", nameof(vectors));
            wordList.Add(word);
            valueList.AddRange(vector);
        }

        words = wordList.ToArray();
        values = valueList.ToArray();
    }

    /// <summary>Length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Number of words.</summary>
    public int Count => words.Length;

    /// <summary>The words, in the order given (for a loaded set, most frequent first).</summary>
    public IReadOnlyList<string> Words => words;

    /// <summary>Whether <paramref name="word"/> has a vector (ordinal match).</summary>
    /// <param name="word">The word.</param>
    /// <returns><see langword="true"/> when the set holds the word.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    public bool Contains(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return index.ContainsKey(word);
    }

    /// <summary>Looks a word's vector up (ordinal match).</summary>
    /// <param name="word">The word.</param>
    /// <param name="vector">The word's <see cref="Dimensions"/> values, or empty when it has none.</param>
    /// <returns><see langword="true"/> when the set holds the word.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    public bool TryGetVector(string word, out ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (index.TryGetValue(word, out int i))
        {
            vector = values.AsSpan(i * Dimensions, Dimensions);
            return true;
        }

        vector = default;
        return false;
    }
}
