using MlNetRnn.Transforms.Batching;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Batching;

public sealed class ScoreMathTests
{
    [Fact]
    public void Softmax_IsStableForLargeLogitsAndSumsToOne()
    {
        var probabilities = new float[3];
        ScoreMath.Softmax([1000f, 1001f, 999f], probabilities);
        Assert.Equal(1.0, probabilities.Sum(), 5);
        Assert.True(probabilities[1] > probabilities[0] && probabilities[0] > probabilities[2]);
    }

    [Fact]
    public void ArgMax_TakesTheFirstMaximumAndIgnoresNaN()
    {
        Assert.Equal(1, ScoreMath.ArgMax([0.1f, 0.5f, 0.5f]));
        Assert.Equal(2, ScoreMath.ArgMax([float.NaN, 0.1f, 0.2f]));
        Assert.Equal(-1, ScoreMath.ArgMax([float.NaN, float.NaN]));
        Assert.Equal(-1, ScoreMath.ArgMax([]));
    }

    [Fact]
    public void NextTokenLogProbabilities_PicksEachNextTokensLogProbability()
    {
        // 3 steps, vocabulary 2: step t predicts token t+1.
        float[] logProbs = [-0.1f, -2.0f, -1.5f, -0.3f, -0.7f, -0.8f];
        var dst = new float[2];
        double ll = ScoreMath.NextTokenLogProbabilities(logProbs, 2, [0, 1, 0], dst);
        Assert.Equal([-2.0f, -1.5f], dst);
        Assert.Equal(-3.5, ll, 5);
        Assert.Equal(Math.Exp(3.5 / 2), ScoreMath.Perplexity(ll, 3), 4);
    }

    [Fact]
    public void Perplexity_OfFewerThanTwoTokens_IsNaN()
    {
        Assert.True(float.IsNaN(ScoreMath.Perplexity(0, 1)));
        Assert.True(float.IsNaN(ScoreMath.Perplexity(0, 0)));
    }
}
