namespace MlNetRnn.Training.Data;

/// <summary>
/// Plans batches of sequences of similar length, so that little padding is computed: training batches are shuffled but
/// length-sorted within buckets; evaluation batches are fully length-sorted and always the same.
/// </summary>
/// <remarks>
/// A training epoch shuffles all examples, cuts them into buckets of <see cref="BatchSize"/> × <see cref="BucketMultiplier"/>,
/// sorts each bucket by length, cuts it into batches and finally shuffles the order of all batches. The plan depends only
/// on the lengths and the state of the <see cref="Random"/> it is given. The last batch of a bucket may be smaller.
/// </remarks>
public sealed class LengthBucketBatcher
{
    /// <summary>Creates a batch planner.</summary>
    /// <param name="batchSize">Sequences per batch (≥ 1).</param>
    /// <param name="bucketMultiplier">Batches per sorting bucket (≥ 1); 1 sorts only within a batch, larger values give less padding but less randomness.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is below 1.</exception>
    public LengthBucketBatcher(int batchSize, int bucketMultiplier = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketMultiplier, 1);
        BatchSize = batchSize;
        BucketMultiplier = bucketMultiplier;
    }

    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Batches per sorting bucket.</summary>
    public int BucketMultiplier { get; }

    /// <summary>Plans one training epoch.</summary>
    /// <param name="lengths">The length of every example.</param>
    /// <param name="random">The shuffling source (seed it for reproducible epochs); advanced by this call.</param>
    /// <returns>Batches of example indices; every index appears exactly once.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public IReadOnlyList<int[]> PlanTrainingBatches(IReadOnlyList<int> lengths, Random random)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(random);
        int[] order = Enumerable.Range(0, lengths.Count).ToArray();
        random.Shuffle(order);
        int bucketSize = checked(BatchSize * BucketMultiplier);
        var batches = new List<int[]>((lengths.Count + BatchSize - 1) / BatchSize);
        for (int start = 0; start < order.Length; start += bucketSize)
        {
            var bucket = order.AsSpan(start, Math.Min(bucketSize, order.Length - start)).ToArray();
            var sorted = bucket.OrderBy(i => lengths[i]).ToArray(); // stable: ties keep their shuffled order
            batches.AddRange(sorted.Chunk(BatchSize));
        }

        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    /// <summary>Plans evaluation batches: all examples sorted by length (ties by index), cut into batches. Always the same plan.</summary>
    /// <param name="lengths">The length of every example.</param>
    /// <returns>Batches of example indices; every index appears exactly once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lengths"/> is null.</exception>
    public IReadOnlyList<int[]> PlanEvaluationBatches(IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        return Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).Chunk(BatchSize).ToArray();
    }
}
