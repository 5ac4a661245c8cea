using MlNetRnn.Transforms.Batching;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Batching;

public sealed class BatchPlannerTests
{
    private static (List<SequenceBatch> Batches, int[] Order) Plan(int[] lengths, int maxRows = 64, int maxTokens = 1 << 20, bool equalOnly = false, bool skipEmpty = false)
    {
        var planner = new BatchPlanner();
        planner.Plan(lengths, new BatchLimits(maxRows, maxTokens, equalOnly, skipEmpty));
        return (planner.Batches.ToList(), planner.Order[..lengths.Length].ToArray());
    }

    [Fact]
    public void Plan_OrdersRowsLongestFirstWithTiesByRow()
    {
        var (_, order) = Plan([2, 5, 2, 7, 0, 5]);
        Assert.Equal([3, 1, 5, 0, 2, 4], order);
    }

    [Fact]
    public void Plan_PadsEachBatchOnlyToItsOwnLongestRow()
    {
        var (batches, _) = Plan([9, 1, 8, 2, 1, 3], maxRows: 2);
        Assert.Equal([9, 3, 1], batches.Select(b => b.PaddedLength));
        Assert.Equal([2, 2, 2], batches.Select(b => b.Count));
    }

    [Fact]
    public void Plan_CoversEveryRowExactlyOnce()
    {
        var random = new Random(1);
        var lengths = Enumerable.Range(0, 1000).Select(_ => random.Next(0, 50)).ToArray();
        var (batches, order) = Plan(lengths, maxRows: 7, maxTokens: 100);
        Assert.Equal(lengths.Length, batches.Sum(b => b.Count));
        Assert.Equal(Enumerable.Range(0, lengths.Length), order.OrderBy(i => i));
        int next = 0;
        foreach (var batch in batches)
        {
            Assert.Equal(next, batch.Start);
            next += batch.Count;
        }
    }

    [Fact]
    public void Plan_RespectsTheTokenBudget()
    {
        var (batches, _) = Plan([10, 10, 10, 10, 4, 4], maxTokens: 25);
        Assert.All(batches, b => Assert.True(b.PaddedTokens <= 25));
        Assert.Equal([2, 2, 2], batches.Select(b => b.Count));
    }

    [Fact]
    public void Plan_RowLongerThanTheBudget_GetsABatchOfItsOwn()
    {
        var (batches, order) = Plan([3, 100, 2], maxTokens: 10);
        Assert.Equal(new SequenceBatch(0, 1, 100), batches[0]);
        Assert.Equal(1, order[0]);
        Assert.Equal(new SequenceBatch(1, 2, 3), batches[1]);
    }

    [Fact]
    public void Plan_EqualLengthsOnly_NeverMixesLengths()
    {
        var (batches, order) = Plan([3, 2, 3, 2, 1, 3], equalOnly: true);
        var lengths = new[] { 3, 2, 3, 2, 1, 3 };
        Assert.All(batches, b => Assert.Single(order.Skip(b.Start).Take(b.Count).Select(r => lengths[r]).Distinct()));
        Assert.Equal([3, 2, 1], batches.Select(b => b.Count));
    }

    [Fact]
    public void Plan_SkipEmpty_LeavesZeroLengthRowsOut()
    {
        var (batches, _) = Plan([0, 2, 0, 1], skipEmpty: true);
        Assert.Equal(2, batches.Sum(b => b.Count));
    }

    [Fact]
    public void Plan_ZeroLengthRows_ArePaddedToOne()
    {
        var (batches, _) = Plan([0, 0]);
        Assert.Equal(new SequenceBatch(0, 2, 1), Assert.Single(batches));
    }

    [Fact]
    public void Plan_EmptyWindow_HasNoBatches() => Assert.Empty(Plan([]).Batches);
}
