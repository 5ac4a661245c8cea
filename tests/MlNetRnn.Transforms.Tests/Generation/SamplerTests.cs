using MlNetRnn.Transforms.Generation;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

public sealed class SamplerTests
{
    private static readonly float[][] Conditions = [[1, 0], [0, 1], [1, 0], [0.5f, 0.5f], [0, 1]];

    [Fact]
    public void Run_SameSeedsGiveTheSameSequences()
    {
        var steps = new FakeDecoderSteps(vocabularySize: 12, eosGrowth: 0.3);
        int[] seeds = [11, 12, 13, 14, 15];
        var first = Sampler.Run(steps, steps.EncodeConditions(Conditions), FakeDecoderSteps.Settings(maxLength: 20), seeds);
        var second = Sampler.Run(steps, steps.EncodeConditions(Conditions), FakeDecoderSteps.Settings(maxLength: 20), seeds);

        Assert.Equal(first.Select(h => h.Tokens), second.Select(h => h.Tokens));
        Assert.NotEqual(first[0].Tokens, first[2].Tokens); // same condition, other seed
    }

    [Fact]
    public void Run_ARowSamplesTheSameAloneAndInAnyBatch()
    {
        var steps = new FakeDecoderSteps(vocabularySize: 12, eosGrowth: 0.3);
        var settings = FakeDecoderSteps.Settings(maxLength: 20, temperature: 0.8, topK: 5);
        int[] seeds = [21, 22, 23, 24, 25];
        var together = Sampler.Run(steps, steps.EncodeConditions(Conditions), settings, seeds);
        int[] permutation = [3, 0, 4, 2, 1];
        var permuted = Sampler.Run(steps, steps.EncodeConditions(permutation.Select(i => Conditions[i]).ToArray()), settings, permutation.Select(i => seeds[i]).ToArray());

        for (int r = 0; r < Conditions.Length; r++)
        {
            var alone = Sampler.Run(steps, steps.EncodeConditions([Conditions[r]]), settings, [seeds[r]])[0];
            Assert.Equal(alone.Tokens, together[r].Tokens);
            Assert.Equal(alone.LogProbability, together[r].LogProbability);
            Assert.Equal(alone.Tokens, permuted[Array.IndexOf(permutation, r)].Tokens);
        }
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 1)]
    public void Run_TemperatureZeroOrTopOneIsGreedy(double temperature, int topK)
    {
        var steps = new FakeDecoderSteps(vocabularySize: 12, eosGrowth: 0.3);
        var settings = FakeDecoderSteps.Settings(maxLength: 20, temperature: temperature, topK: topK);
        var sampled = Sampler.Run(steps, steps.EncodeConditions(Conditions), settings, [1, 2, 3, 4, 5]);
        var greedy = BeamSearch.Run(steps, steps.EncodeConditions(Conditions), settings);

        Assert.Equal(greedy.Select(g => g[0].Tokens), sampled.Select(h => h.Tokens));
    }

    [Fact]
    public void Draw_NeverDrawsPaddingBosOrTokensOutsideTheTopK()
    {
        var settings = FakeDecoderSteps.Settings(temperature: 5, topK: 2);
        float[] lp = [0f, 0f, -3f, -1f, -2f, -0.5f]; // pad and BOS most likely, then 5, 3
        var random = new Random(4);
        var drawn = new HashSet<int>();
        for (int i = 0; i < 500; i++)
            drawn.Add(Sampler.Draw(lp, settings, random, new double[6], new int[6]));

        Assert.Equal([3, 5], drawn.Order());
    }
}
