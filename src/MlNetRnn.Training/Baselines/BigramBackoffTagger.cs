namespace MlNetRnn.Training.Baselines;

/// <summary>
/// The classic n-gram tagger baselines, as NLTK's <c>BigramTagger</c> → <c>UnigramTagger</c> → <c>DefaultTagger</c> backoff
/// chain: a word after a given tag gets the tag most often seen for that (previous tag, word) pair in training; otherwise
/// the word's most frequent tag; otherwise the most frequent tag overall.
/// </summary>
/// <remarks>
/// <para>
/// As in NLTK, the previous tag is the one this tagger assigned (tagging runs left to right); the first word of a sentence
/// has no previous tag (its own context). Ties between equally frequent tags go to the tag seen first in training
/// (NLTK's <c>FreqDist.max</c> does the same). NLTK stores a context only when its backoff tagger was wrong on it at least once; that
/// prunes the table but changes no prediction, because the backoff's tag depends only on the word, which is part of the context.
/// </para>
/// <para>Words are compared as given (ordinal); lowercase them before training and tagging for a case-insensitive tagger.
/// Immutable once trained and thread-safe.</para>
/// </remarks>
public sealed class BigramBackoffTagger
{
    private readonly Dictionary<(string? PreviousTag, string Word), string> byContext;
    private readonly Dictionary<string, string> byWord;

    private BigramBackoffTagger(Dictionary<(string?, string), string> byContext, Dictionary<string, string> byWord, string defaultTag)
    {
        this.byContext = byContext;
        this.byWord = byWord;
        DefaultTag = defaultTag;
    }

    /// <summary>The most frequent tag of the training data, given to unknown words.</summary>
    public string DefaultTag { get; }

    /// <summary>Counts tags per word and per (previous tag, word) pair.</summary>
    /// <param name="sentences">Training sentences: words and one tag per word (at least one word overall).</param>
    /// <returns>The trained tagger.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentences"/> or a sentence is null.</exception>
    /// <exception cref="ArgumentException">A sentence has different numbers of words and tags, or there are no words.</exception>
    public static BigramBackoffTagger Train(IEnumerable<(IReadOnlyList<string> Words, IReadOnlyList<string> Tags)> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var contextCounts = new Dictionary<(string?, string), TagCounts>();
        var wordCounts = new Dictionary<string, TagCounts>(StringComparer.Ordinal);
        var overall = new TagCounts();
        int index = 0;
        foreach (var (words, tags) in sentences)
        {
            ArgumentNullException.ThrowIfNull(words, nameof(sentences));
            ArgumentNullException.ThrowIfNull(tags, nameof(sentences));
            if (words.Count != tags.Count)
                throw new ArgumentException($"Sentence {index}: expected one tag per word, got {words.Count} words and {tags.Count} tags.", nameof(sentences));
            for (int i = 0; i < words.Count; i++)
            {
                string? previous = i == 0 ? null : tags[i - 1];
                Add(contextCounts, (previous, words[i]), tags[i]);
                Add(wordCounts, words[i], tags[i]);
                overall.Add(tags[i]);
            }
            index++;
        }
        if (overall.IsEmpty)
            throw new ArgumentException("Expected at least one tagged word, got none.", nameof(sentences));

        return new BigramBackoffTagger(
            contextCounts.ToDictionary(kv => kv.Key, kv => kv.Value.MostFrequent),
            wordCounts.ToDictionary(kv => kv.Key, kv => kv.Value.MostFrequent, StringComparer.Ordinal),
            overall.MostFrequent);
    }

    /// <summary>Tags a sentence with the bigram → unigram → most-frequent-tag chain.</summary>
    /// <param name="words">The words.</param>
    /// <returns>One tag per word.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> is null.</exception>
    public string[] Tag(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var tags = new string[words.Count];
        for (int i = 0; i < words.Count; i++)
            tags[i] = byContext.TryGetValue((i == 0 ? null : tags[i - 1], words[i]), out var tag) ? tag : TagWord(words[i]);
        return tags;
    }

    /// <summary>Tags a sentence with the unigram → most-frequent-tag chain (each word's most frequent training tag).</summary>
    /// <param name="words">The words.</param>
    /// <returns>One tag per word.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> is null.</exception>
    public string[] TagUnigram(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Select(TagWord).ToArray();
    }

    private string TagWord(string word) => byWord.TryGetValue(word, out var tag) ? tag : DefaultTag;

    private static void Add<TKey>(Dictionary<TKey, TagCounts> table, TKey key, string tag) where TKey : notnull
    {
        if (!table.TryGetValue(key, out var counts))
            table[key] = counts = new TagCounts();
        counts.Add(tag);
    }

    // Tag counts that remember first-seen order, so ties go to the tag seen first.
    private sealed class TagCounts
    {
        private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
        private readonly List<string> order = [];

        public bool IsEmpty => order.Count == 0;

        public string MostFrequent
        {
            get
            {
                string best = order[0];
                foreach (var tag in order)
                {
                    if (counts[tag] > counts[best])
                        best = tag;
                }
                return best;
            }
        }

        public void Add(string tag)
        {
            if (!counts.TryGetValue(tag, out int count))
                order.Add(tag);
            counts[tag] = count + 1;
        }
    }
}
