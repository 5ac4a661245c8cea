using MlNetRnn.Training.Data;
using Xunit;

namespace MlNetRnn.Training.Tests.Data;

public sealed class LengthBucketBatcherTests
{
    private static readonly int[] Lengths = Enumerable.Range(0, 103).Select(i => (i * 37) % 29).ToArray();

    [Fact]
    public void PlanTrainingBatches_UsesEveryExampleExactlyOnce()
    {
        var batcher = new LengthBucketBatcher(batchSize: 8, bucketMultiplier: 4);

        var plan = batcher.PlanTrainingBatches(Lengths, new Random(3));

        Assert.Equal(Enumerable.Range(0, Lengths.Length), plan.SelectMany(b => b).Order());
        Assert.All(plan, batch => Assert.InRange(batch.Length, 1, 8));
    }

    [Fact]
    public void PlanTrainingBatches_SortsByLengthWithinABucket()
    {
        var batcher = new LengthBucketBatcher(batchSize: 8, bucketMultiplier: 1000);

        var plan = batcher.PlanTrainingBatches(Lengths, new Random(3));

        // One bucket holds everything, so every batch spans a narrow, non-overlapping range of lengths.
        var ranges = plan.Select(b => (Min: b.Min(i => Lengths[i]), Max: b.Max(i => Lengths[i]))).OrderBy(r => r.Min).ToArray();
        for (int i = 1; i < ranges.Length; i++)
            Assert.True(ranges[i - 1].Max <= ranges[i].Min, $"batches overlap: {ranges[i - 1]} and {ranges[i]}");
    }

    [Fact]
    public void PlanTrainingBatches_IsReproducibleForASeedAndShuffledAcrossSeeds()
    {
        var batcher = new LengthBucketBatcher(batchSize: 8, bucketMultiplier: 2);

        var first = batcher.PlanTrainingBatches(Lengths, new Random(5));
        var again = batcher.PlanTrainingBatches(Lengths, new Random(5));
        var other = batcher.PlanTrainingBatches(Lengths, new Random(6));

        Assert.Equal(first, again);
        Assert.NotEqual(first.SelectMany(b => b), other.SelectMany(b => b));
    }

    [Fact]
    public void PlanEvaluationBatches_IsSortedByLengthAndAlwaysTheSame()
    {
        var batcher = new LengthBucketBatcher(batchSize: 10);

        var plan = batcher.PlanEvaluationBatches(Lengths);

        var order = plan.SelectMany(b => b).ToArray();
        Assert.Equal(order.OrderBy(i => Lengths[i]).ThenBy(i => i), order);
        Assert.Equal(plan, batcher.PlanEvaluationBatches(Lengths));
        Assert.Equal(11, plan.Count);
    }

    [Fact]
    public void Constructor_RejectsSizesBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthBucketBatcher(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthBucketBatcher(4, 0));
    }
}
