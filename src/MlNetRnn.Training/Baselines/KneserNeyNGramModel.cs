namespace MlNetRnn.Training.Baselines;

/// <summary>
/// An interpolated Kneser–Ney n-gram language model over token ids (Chen &amp; Goodman 1998, "An empirical study of
/// smoothing techniques for language modeling", with one discount per order): the baseline for
/// character-level language models.
/// </summary>
/// <remarks>
/// <para>
/// <c>P_k(w | h) = max(c_k(hw) − D_k, 0) / c_k(h·) + D_k · N1+(h·) / c_k(h·) · P_(k−1)(w | h')</c>, where <c>h'</c> drops the oldest
/// id of <c>h</c>; <c>c_k</c> is the raw count for the highest order and the continuation count (the number of distinct ids seen
/// before the n-gram) for lower orders; <c>N1+(h·)</c> is the number of distinct ids seen after <c>h</c>; a history never seen
/// backs off entirely to the lower order; below the unigram is the uniform distribution over the vocabulary, so every id
/// (an unknown one too) has a probability above zero. N-grams are keyed by 64-bit integers, so <c>vocabularySize^order</c> must stay
/// below 2^62 (characters: any order up to 8 for a vocabulary of up to 200 ids). <c>D_k = n1 / (n1 + 2 n2)</c> from the number of order-<c>k</c>
/// n-grams whose count is exactly 1 and 2 (Ney, Essen &amp; Kneser 1994), or 0.5 when that is undefined.
/// </para>
/// <para>Immutable once trained and thread-safe.</para>
/// </remarks>
public sealed class KneserNeyNGramModel
{
    private readonly int order;
    private readonly int vocabularySize;
    private readonly Dictionary<long, int>[] counts;                         // [k-1]: order-k n-gram → count
    private readonly Dictionary<long, (int Total, int Types)>[] histories;   // [k-1]: its (k−1)-id history → sum of counts, distinct followers
    private readonly double[] discounts;

    private KneserNeyNGramModel(int order, int vocabularySize)
    {
        this.order = order;
        this.vocabularySize = vocabularySize;
        counts = new Dictionary<long, int>[order];
        histories = new Dictionary<long, (int, int)>[order];
        discounts = new double[order];
    }

    /// <summary>Counts the n-grams of a training sequence.</summary>
    /// <param name="ids">The training ids, in order (at least one).</param>
    /// <param name="order">The n-gram order: 3 for a trigram model (two ids of history), 1 to 8.</param>
    /// <param name="vocabularySize">The number of ids; every id is in <c>[0, vocabularySize)</c>.</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> or <paramref name="vocabularySize"/> is out of range, or an id is outside the vocabulary.</exception>
    /// <exception cref="ArgumentException"><paramref name="ids"/> is empty.</exception>
    public static KneserNeyNGramModel Train(IReadOnlyList<int> ids, int order, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        if (ids.Count == 0)
            throw new ArgumentException("Expected at least one training id, got none.", nameof(ids));
        if (Math.Pow(vocabularySize, order) > long.MaxValue / 2)
            throw new ArgumentOutOfRangeException(nameof(order), order, $"Order {order} with {vocabularySize} ids has more n-grams than a 64-bit key holds; use a lower order or a smaller vocabulary.");
        for (int i = 0; i < ids.Count; i++)
        {
            if ((uint)ids[i] >= (uint)vocabularySize)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Id at position {i} is outside the vocabulary [0, {vocabularySize}).");
        }

        var model = new KneserNeyNGramModel(order, vocabularySize);
        // Highest order: raw counts.
        var top = new Dictionary<long, int>();
        for (int end = order - 1; end < ids.Count; end++)
        {
            long key = model.Key(ids, end - order + 1, order);
            top[key] = top.GetValueOrDefault(key) + 1;
        }
        model.counts[order - 1] = top;
        // Lower orders: continuation counts, the number of distinct ids seen before the n-gram.
        for (int k = order - 1; k >= 1; k--)
        {
            var continuation = new Dictionary<long, int>();
            var seen = new HashSet<long>();
            for (int end = k; end < ids.Count; end++)
            {
                long longer = model.Key(ids, end - k, k + 1);
                if (seen.Add(longer))
                {
                    long key = model.Key(ids, end - k + 1, k);
                    continuation[key] = continuation.GetValueOrDefault(key) + 1;
                }
            }
            model.counts[k - 1] = continuation;
        }

        for (int k = 1; k <= order; k++)
        {
            var byHistory = new Dictionary<long, (int Total, int Types)>();
            int n1 = 0, n2 = 0;
            foreach (var (key, count) in model.counts[k - 1])
            {
                long history = key / vocabularySize;   // drops the last id
                var (total, types) = byHistory.GetValueOrDefault(history);
                byHistory[history] = (total + count, types + 1);
                n1 += count == 1 ? 1 : 0;
                n2 += count == 2 ? 1 : 0;
            }
            model.histories[k - 1] = byHistory;
            model.discounts[k - 1] = n1 + n2 == 0 ? 0.5 : n1 / (double)(n1 + (2.0 * n2));
        }
        return model;
    }

    /// <summary>The n-gram order.</summary>
    public int Order => order;

    /// <summary>The discount of each order, index 0 for unigrams.</summary>
    public IReadOnlyList<double> Discounts => discounts;

    /// <summary>The probability of <paramref name="next"/> after the ids before it.</summary>
    /// <param name="history">The preceding ids, oldest first; only the last <c>Order − 1</c> are used, fewer at the start of a text.</param>
    /// <param name="next">The id to predict.</param>
    /// <returns>A probability in <c>(0, 1]</c>; over all ids of the vocabulary they sum to 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public double Probability(IReadOnlyList<int> history, int next)
    {
        ArgumentNullException.ThrowIfNull(history);
        int used = Math.Min(history.Count, order - 1);
        for (int i = history.Count - used; i < history.Count; i++)
        {
            if ((uint)history[i] >= (uint)vocabularySize)
                throw new ArgumentOutOfRangeException(nameof(history), history[i], $"History id at position {i} is outside the vocabulary [0, {vocabularySize}).");
        }
        if ((uint)next >= (uint)vocabularySize)
            throw new ArgumentOutOfRangeException(nameof(next), next, $"Expected an id in [0, {vocabularySize}).");
        return Interpolate(history, history.Count - used, used, next);
    }

    /// <summary>Mean negative log-likelihood of a sequence, in nats per id, each id predicted from the ids before it in the sequence.</summary>
    /// <param name="ids">The ids to score (at least one); the first is predicted without history.</param>
    /// <returns>The cross-entropy in nats per id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ids"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public double CrossEntropy(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            throw new ArgumentException("Expected at least one id to score, got none.", nameof(ids));
        double sum = 0;
        for (int i = 0; i < ids.Count; i++)
        {
            if ((uint)ids[i] >= (uint)vocabularySize)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Id at position {i} is outside the vocabulary [0, {vocabularySize}).");
            int used = Math.Min(i, order - 1);
            sum -= Math.Log(Interpolate(ids, i - used, used, ids[i]));
        }
        return sum / ids.Count;
    }

    // P_k(next | ids[start .. start+length)), k = length + 1.
    private double Interpolate(IReadOnlyList<int> ids, int start, int length, int next)
    {
        double lower = length == 0 ? 1.0 / vocabularySize : Interpolate(ids, start + 1, length - 1, next);
        long history = length == 0 ? 0 : Key(ids, start, length);
        if (!histories[length].TryGetValue(history, out var stats))
            return lower;
        double discount = discounts[length];
        int count = counts[length].GetValueOrDefault((history * vocabularySize) + next);
        return (Math.Max(count - discount, 0) / stats.Total) + (discount * stats.Types / stats.Total * lower);
    }

    private long Key(IReadOnlyList<int> ids, int start, int length)
    {
        long key = 0;
        for (int i = start; i < start + length; i++)
            key = (key * vocabularySize) + ids[i];
        return key;
    }
}
