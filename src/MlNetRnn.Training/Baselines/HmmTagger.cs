namespace MlNetRnn.Training.Baselines;

/// <summary>
/// A trigram hidden Markov model tagger in the style of TnT (Brants 2000, "TnT — a statistical part-of-speech tagger"):
/// deleted-interpolation transitions, a suffix model for unknown words, and Viterbi decoding.
/// </summary>
/// <remarks>
/// <para>
/// Transitions: <c>P(t3 | t1, t2) = λ1 P̂(t3) + λ2 P̂(t3 | t2) + λ3 P̂(t3 | t1, t2)</c> from relative frequencies, with two sentence-start
/// tags before the first word; the λs come from deleted interpolation (each training trigram votes, with its count, for the
/// estimate that predicts it best once that trigram is left out). Known words emit <c>P̂(w | t) = c(w, t) / c(t)</c>, and only tags
/// seen with the word are tried. Unknown words use the tag distribution of rare training words (count ≤ 10) that share their longest suffix
/// (up to 10 characters), smoothed from shorter suffixes with TnT's <c>θ</c> (the standard deviation of the tag probabilities):
/// <c>P(t | l_(n−i+1)…l_n) = (P̂(t | l_(n−i+1)…l_n) + θ P(t | l_(n−i+2)…l_n)) / (1 + θ)</c>, and emit <c>P(t | suffix) / P̂(t)</c>
/// (Bayes without the constant <c>P(suffix)</c>); capitalized and other words have separate suffix tables, and only the
/// <see cref="UnknownWordCandidates"/> most likely tags are tried. There is no end-of-sentence transition.
/// </para>
/// <para>Words are compared as given (ordinal, case-sensitive). Deterministic: ties go to the lower tag index (tags are numbered in
/// first-seen order). Immutable once trained and thread-safe.</para>
/// </remarks>
public sealed class HmmTagger
{
    /// <summary>How many tags the suffix model proposes for an unknown word.</summary>
    public const int UnknownWordCandidates = 10;

    private const int MaxSuffix = 10, RareCount = 10;

    private readonly string[] tags;
    private readonly int start;                                  // index of the sentence-start tag, = tags.Length
    private readonly double[] lambdas;                           // λ1, λ2, λ3
    private readonly double[] unigram;                           // P̂(t3)
    private readonly int[,] bigram;                              // c(t2, t3), t2 may be start
    private readonly int[] bigramHistory;                        // c(t2, ·)
    private readonly Dictionary<int, int> trigram;               // c(t1, t2, t3) keyed (t1 · S + t2) · S + t3
    private readonly Dictionary<int, int> trigramHistory;        // c(t1, t2, ·) keyed t1 · S + t2
    private readonly Dictionary<string, (int Tag, double LogP)[]> lexicon;
    private readonly SuffixModel lowerSuffixes, upperSuffixes;

    private HmmTagger(string[] tags, double[] lambdas, double[] unigram, int[,] bigram, int[] bigramHistory,
        Dictionary<int, int> trigram, Dictionary<int, int> trigramHistory, Dictionary<string, (int, double)[]> lexicon,
        SuffixModel lowerSuffixes, SuffixModel upperSuffixes)
    {
        this.tags = tags;
        start = tags.Length;
        this.lambdas = lambdas;
        this.unigram = unigram;
        this.bigram = bigram;
        this.bigramHistory = bigramHistory;
        this.trigram = trigram;
        this.trigramHistory = trigramHistory;
        this.lexicon = lexicon;
        this.lowerSuffixes = lowerSuffixes;
        this.upperSuffixes = upperSuffixes;
    }

    /// <summary>The tags seen in training, in first-seen order.</summary>
    public IReadOnlyList<string> Tags => tags;

    /// <summary>The interpolation weights λ1 (unigram), λ2 (bigram), λ3 (trigram) from deleted interpolation; they sum to 1.</summary>
    public IReadOnlyList<double> Lambdas => lambdas;

    /// <summary>Counts tag n-grams, word–tag pairs and the suffixes of rare words.</summary>
    /// <param name="sentences">Training sentences: words and one tag per word (at least one word overall).</param>
    /// <returns>The trained tagger.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentences"/> or a sentence is null.</exception>
    /// <exception cref="ArgumentException">A sentence has different numbers of words and tags, or there are no words.</exception>
    public static HmmTagger Train(IEnumerable<(IReadOnlyList<string> Words, IReadOnlyList<string> Tags)> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var data = sentences.ToList();
        var tagIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 0; n < data.Count; n++)
        {
            var (words, tagList) = data[n];
            ArgumentNullException.ThrowIfNull(words, nameof(sentences));
            ArgumentNullException.ThrowIfNull(tagList, nameof(sentences));
            if (words.Count != tagList.Count)
                throw new ArgumentException($"Sentence {n}: expected one tag per word, got {words.Count} words and {tagList.Count} tags.", nameof(sentences));
            foreach (var tag in tagList)
                tagIndex.TryAdd(tag, tagIndex.Count);
        }
        if (tagIndex.Count == 0)
            throw new ArgumentException("Expected at least one tagged word, got none.", nameof(sentences));

        int T = tagIndex.Count, S = T + 1, start = T;
        var tagCounts = new int[T];
        var bigram = new int[S, S];
        var bigramHistory = new int[S];
        var trigram = new Dictionary<int, int>();
        var trigramHistory = new Dictionary<int, int>();
        var wordTags = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal);
        long total = 0;
        foreach (var (words, tagList) in data)
        {
            int t1 = start, t2 = start;
            for (int i = 0; i < words.Count; i++)
            {
                int t3 = tagIndex[tagList[i]];
                tagCounts[t3]++;
                total++;
                bigram[t2, t3]++;
                bigramHistory[t2]++;
                Increment(trigram, (t1 * S + t2) * S + t3);
                Increment(trigramHistory, t1 * S + t2);
                if (!wordTags.TryGetValue(words[i], out var counts))
                    wordTags[words[i]] = counts = [];
                Increment(counts, t3);
                (t1, t2) = (t2, t3);
            }
        }

        // Deleted interpolation (Brants 2000, figure 1).
        var lambdas = new double[3];
        foreach (var (key, count) in trigram)
        {
            int t3 = key % S, t2 = key / S % S, t1 = key / S / S;
            double c3 = Ratio(count - 1, trigramHistory[t1 * S + t2] - 1);
            double c2 = Ratio(bigram[t2, t3] - 1, bigramHistory[t2] - 1);
            double c1 = Ratio(tagCounts[t3] - 1, total - 1);
            int best = c3 >= c2 && c3 >= c1 ? 2 : c2 >= c1 ? 1 : 0;
            lambdas[best] += count;
        }
        double lambdaSum = lambdas.Sum();
        for (int k = 0; k < 3; k++)
            lambdas[k] /= lambdaSum;

        var unigram = tagCounts.Select(c => (double)c / total).ToArray();
        var lexicon = wordTags.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.OrderBy(p => p.Key).Select(p => (p.Key, Math.Log((double)p.Value / tagCounts[p.Key]))).ToArray(),
            StringComparer.Ordinal);
        var rare = wordTags.Where(kv => kv.Value.Values.Sum() <= RareCount).ToList();
        double theta = StandardDeviation(unigram);
        return new HmmTagger(tagIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray(), lambdas, unigram, bigram, bigramHistory,
            trigram, trigramHistory, lexicon,
            SuffixModel.Build(rare.Where(kv => !IsCapitalized(kv.Key)), T, theta, unigram),
            SuffixModel.Build(rare.Where(kv => IsCapitalized(kv.Key)), T, theta, unigram));
    }

    /// <summary>Whether a word was seen in training (ordinal comparison).</summary>
    /// <param name="word">The word.</param>
    /// <returns><see langword="true"/> when the lexicon has the word.</returns>
    public bool IsKnown(string word) => lexicon.ContainsKey(word);

    /// <summary>Tags a sentence with the most likely tag sequence (Viterbi).</summary>
    /// <param name="words">The words.</param>
    /// <returns>One tag per word.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> or one of its words is null.</exception>
    public string[] Tag(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        int n = words.Count;
        if (n == 0)
            return [];
        var candidates = new (int Tag, double LogP)[n][];
        for (int i = 0; i < n; i++)
        {
            ArgumentNullException.ThrowIfNull(words[i], nameof(words));
            candidates[i] = lexicon.TryGetValue(words[i], out var known) ? known
                : (IsCapitalized(words[i]) ? upperSuffixes : lowerSuffixes).Candidates(words[i]);
        }

        // score[i][a, b]: best log probability of a path ending with candidate a at i−1 and candidate b at i.
        (int Tag, double LogP)[] startOnly = [(start, 0.0)];
        var score = new double[n][,];
        var back = new int[n][,];
        for (int i = 0; i < n; i++)
        {
            var previous = i == 0 ? startOnly : candidates[i - 1];
            var beforePrevious = i <= 1 ? startOnly : candidates[i - 2];
            var current = candidates[i];
            score[i] = new double[previous.Length, current.Length];
            back[i] = new int[previous.Length, current.Length];
            for (int a = 0; a < previous.Length; a++)
            {
                for (int b = 0; b < current.Length; b++)
                {
                    double best = double.NegativeInfinity;
                    int bestC = 0;
                    for (int c = 0; c < beforePrevious.Length; c++)
                    {
                        double s = (i == 0 ? 0.0 : score[i - 1][c, a]) + LogTransition(beforePrevious[c].Tag, previous[a].Tag, current[b].Tag);
                        if (s > best)
                            (best, bestC) = (s, c);
                    }
                    score[i][a, b] = best + current[b].LogP;
                    back[i][a, b] = bestC;
                }
            }
        }

        // Best final pair, then follow the back pointers.
        var last = score[n - 1];
        int bestA = 0, bestB = 0;
        for (int a = 0; a < last.GetLength(0); a++)
        {
            for (int b = 0; b < last.GetLength(1); b++)
            {
                if (last[a, b] > last[bestA, bestB])
                    (bestA, bestB) = (a, b);
            }
        }
        var path = new int[n];
        path[n - 1] = bestB;
        if (n > 1)
            path[n - 2] = bestA;
        for (int i = n - 1; i >= 2; i--)
            path[i - 2] = back[i][path[i - 1], path[i]];
        return path.Select((c, i) => tags[candidates[i][c].Tag]).ToArray();
    }

    private double LogTransition(int t1, int t2, int t3)
    {
        int S = start + 1;
        double p = lambdas[0] * unigram[t3];
        if (bigramHistory[t2] > 0)
            p += lambdas[1] * bigram[t2, t3] / bigramHistory[t2];
        if (trigramHistory.TryGetValue(t1 * S + t2, out int history))
            p += lambdas[2] * trigram.GetValueOrDefault((t1 * S + t2) * S + t3) / history;
        return Math.Log(p);
    }

    private static bool IsCapitalized(string word) => word.Length > 0 && char.IsUpper(word[0]);

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0.0;

    private static void Increment(Dictionary<int, int> counts, int key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static double StandardDeviation(double[] values)
    {
        if (values.Length < 2)
            return 0.0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    // Tag counts of rare words by suffix (every suffix of length 0…MaxSuffix), and the smoothed distributions TnT derives from them.
    private sealed class SuffixModel
    {
        private readonly Dictionary<string, int[]> counts;
        private readonly int tagCount;
        private readonly double theta;
        private readonly double[] unigram;

        private SuffixModel(Dictionary<string, int[]> counts, int tagCount, double theta, double[] unigram)
        {
            this.counts = counts;
            this.tagCount = tagCount;
            this.theta = theta;
            this.unigram = unigram;
        }

        public static SuffixModel Build(IEnumerable<KeyValuePair<string, Dictionary<int, int>>> rareWords, int tagCount, double theta, double[] unigram)
        {
            var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
            foreach (var (word, tagCounts) in rareWords)
            {
                for (int length = 0; length <= Math.Min(MaxSuffix, word.Length); length++)
                {
                    string suffix = word[^length..];
                    if (!counts.TryGetValue(suffix, out var row))
                        counts[suffix] = row = new int[tagCount];
                    foreach (var (tag, count) in tagCounts)
                        row[tag] += count;
                }
            }
            return new SuffixModel(counts, tagCount, theta, unigram);
        }

        public (int Tag, double LogP)[] Candidates(string word)
        {
            // Start from the tag distribution of all rare words (or the unigram when this table is empty), then
            // refine with each longer suffix that was seen.
            var p = counts.TryGetValue("", out var all) ? Normalize(all) : (double[])unigram.Clone();
            for (int length = 1; length <= Math.Min(MaxSuffix, word.Length); length++)
            {
                if (!counts.TryGetValue(word[^length..], out var row))
                    break;
                var estimate = Normalize(row);
                for (int t = 0; t < tagCount; t++)
                    p[t] = (estimate[t] + theta * p[t]) / (1 + theta);
            }
            return Enumerable.Range(0, tagCount)
                .Where(t => p[t] > 0 && unigram[t] > 0)
                .OrderByDescending(t => p[t]).ThenBy(t => t)
                .Take(UnknownWordCandidates)
                .Select(t => (t, Math.Log(p[t] / unigram[t])))
                .ToArray();
        }

        private static double[] Normalize(int[] row)
        {
            double sum = row.Sum();
            return row.Select(c => c / sum).ToArray();
        }
    }
}
