using Xunit;

namespace MlNetRnn.Benchmarks.Tests;

/// <summary>The cross-path comparison the scoring benchmarks rely on before timing anything.</summary>
public sealed class ScoringPathsTests
{
    [Fact]
    public void WorstDifference_NamesTheRowThatDiffersMost()
    {
        var (difference, row) = ScoringPaths.WorstDifference([0.1f, 0.5f, 0.9f], [0.1f, 0.5003f, 0.9001f]);

        Assert.Equal(1, row);
        Assert.InRange(difference, 2.9e-4, 3.1e-4);
    }

    [Fact]
    public void WorstDifference_CountsAnUnwrittenRowAsInfinitelyFar()
    {
        var (difference, row) = ScoringPaths.WorstDifference([0.1f, 0.5f], [0.1f, float.NaN]);

        Assert.Equal(1, row);
        Assert.True(double.IsPositiveInfinity(difference));
    }

    [Fact]
    public void WorstDifference_RefusesADifferentRowCount() =>
        Assert.Throws<ArgumentException>(() => ScoringPaths.WorstDifference([0.1f, 0.5f], [0.1f]));
}
