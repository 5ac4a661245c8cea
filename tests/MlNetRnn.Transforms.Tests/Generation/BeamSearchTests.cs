using MlNetRnn.Transforms.Generation;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

public sealed class BeamSearchTests
{
    private static readonly long[][] Sources = [[3, 4, 5], [6], [7, 8], [3, 3, 9, 4], [5, 5], [4, 6, 8]];

    [Fact]
    public void BeamSizeOne_IsGreedyDecoding()
    {
        // Rows of different lengths, so rows finish at different steps and the states of the others must be gathered.
        var steps = new FakeDecoderSteps(vocabularySize: 12, eosGrowth: 0.1);
        var results = BeamSearch.Run(steps, steps.EncodeSources(Sources), FakeDecoderSteps.Settings(beam: 1, maxLength: 30));

        Assert.True(results.Select(r => r[0].Tokens.Length).Distinct().Count() > 1);
        for (int r = 0; r < Sources.Length; r++)
            Assert.Equal(steps.Greedy(FakeDecoderSteps.SourceKey(Sources[r]), 30), results[r][0].Tokens);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Run_DecodesARowTheSameAloneAndInAnyBatch(int beam)
    {
        var settings = FakeDecoderSteps.Settings(beam: beam, nBest: beam, alpha: 0.6);
        var steps = new FakeDecoderSteps();
        var together = BeamSearch.Run(steps, steps.EncodeSources(Sources), settings);
        int[] permutation = [4, 1, 5, 0, 3, 2];
        var permuted = BeamSearch.Run(steps, steps.EncodeSources(permutation.Select(i => Sources[i]).ToArray()), settings);

        for (int r = 0; r < Sources.Length; r++)
        {
            var alone = BeamSearch.Run(steps, steps.EncodeSources([Sources[r]]), settings)[0];
            AssertSame(alone, together[r]);
            AssertSame(alone, permuted[Array.IndexOf(permutation, r)]);
        }
    }

    [Fact]
    public void Run_FinishedHypothesesLeaveTheStepBatch()
    {
        var steps = new FakeDecoderSteps(vocabularySize: 12, eosGrowth: 0.1);
        var results = BeamSearch.Run(steps, steps.EncodeSources(Sources), FakeDecoderSteps.Settings(beam: 1, maxLength: 30));

        Assert.All(results, r => Assert.True(r[0].EndedWithEos));
        var lengths = results.Select(r => r[0].Tokens.Length).ToArray();
        Assert.True(lengths.Distinct().Count() > 1, "The fixture should give rows of different lengths.");
        int[] expected = Enumerable.Range(0, lengths.Max() + 1).Select(t => lengths.Count(l => l >= t)).ToArray();
        Assert.Equal(expected, steps.BatchSizes);
    }

    [Fact]
    public void Run_ReturnsTheNBestRankedByScore()
    {
        var steps = new FakeDecoderSteps();
        var results = BeamSearch.Run(steps, steps.EncodeSources(Sources), FakeDecoderSteps.Settings(beam: 4, nBest: 3, alpha: 0.6));

        Assert.All(results, row =>
        {
            Assert.Equal(3, row.Length);
            for (int i = 1; i < row.Length; i++)
                Assert.True(row[i - 1].Score >= row[i].Score, $"Hypothesis {i - 1} scores {row[i - 1].Score}, below {row[i].Score}.");
            Assert.Equal(row.Length, row.Select(h => string.Join(",", h.Tokens)).Distinct().Count());
        });
    }

    [Fact]
    public void Run_ScoresAreLogProbabilityOverLengthToTheAlpha()
    {
        var steps = new FakeDecoderSteps();
        var results = BeamSearch.Run(steps, steps.EncodeSources(Sources), FakeDecoderSteps.Settings(beam: 3, nBest: 3, alpha: 0.8));

        foreach (var h in results.SelectMany(r => r))
        {
            double penalty = Math.Pow(h.Tokens.Length + (h.EndedWithEos ? 1 : 0), 0.8);
            Assert.Equal(h.LogProbability / penalty, h.Score, 4);
        }
    }

    [Fact]
    public void LengthPenalty_PrefersTheLongerSequenceThatRawLogProbabilityRanksBelow()
    {
        // "" + EOS: ln 0.5 = -0.693; "a a" + EOS: ln 0.5 + 2 ln 0.99 = -0.713. Normalized (alpha 1): -0.693 vs -0.238.
        var steps = new TableDecoderSteps();
        var raw = BeamSearch.Run(steps, steps.EncodeSources([[5]]), FakeDecoderSteps.Settings(beam: 2, nBest: 2, alpha: 0))[0];
        var normalized = BeamSearch.Run(steps, steps.EncodeSources([[5]]), FakeDecoderSteps.Settings(beam: 2, nBest: 2, alpha: 1))[0];

        Assert.Empty(raw[0].Tokens);
        Assert.Equal([TableDecoderSteps.A, TableDecoderSteps.A], normalized[0].Tokens);
        Assert.Equal(Math.Log(0.5) + (2 * Math.Log(0.99)), normalized[0].LogProbability, 4);
    }

    [Fact]
    public void Run_CutsAtMaxLengthAndMarksTheHypothesisUnfinished()
    {
        var steps = new FakeDecoderSteps(eosGrowth: 0);
        var results = BeamSearch.Run(steps, steps.EncodeSources(Sources), FakeDecoderSteps.Settings(beam: 2, nBest: 2, maxLength: 3));

        Assert.Contains(results.SelectMany(r => r), h => !h.EndedWithEos);
        Assert.All(results.SelectMany(r => r), h => Assert.True(h.Tokens.Length <= 3));
        Assert.All(results.SelectMany(r => r).Where(h => !h.EndedWithEos), h => Assert.Equal(3, h.Tokens.Length));
        Assert.True(steps.BatchSizes.Count <= 4); // three tokens, then one step that may still choose EOS
    }

    private static void AssertSame(Hypothesis[] expected, Hypothesis[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Tokens, actual[i].Tokens);
            Assert.Equal(expected[i].LogProbability, actual[i].LogProbability);
        }
    }

    /// <summary>V = {pad, bos, eos, a}: at step 0 EOS and a are 0.5 each; after a, a is 0.99; after a a, EOS is 0.99.</summary>
    private sealed class TableDecoderSteps : IDecoderSteps
    {
        public const int A = 3;

        public int VocabularySize => 4;

        public EncodedRows EncodeSources(IReadOnlyList<long[]> sources) =>
            new(sources.Count, [new BatchTensor<float>(new float[sources.Count], [sources.Count], 0)]);

        public EncodedRows EncodeConditions(IReadOnlyList<float[]> conditions) => throw new NotSupportedException();

        public StepResult Step(long[] previousTokens, IReadOnlyList<BatchTensor<float>> states, EncodedRows encoded, int[] rowOfHypothesis, int step)
        {
            int n = previousTokens.Length;
            var lp = new float[n * 4];
            var next = new float[n];
            for (int i = 0; i < n; i++)
            {
                float count = states[0].Data[i];
                (double eos, double a) = count switch { 0 => (0.5, 0.5), 1 => (0.01, 0.99), _ => (0.99, 0.01) };
                lp[(i * 4) + 0] = lp[(i * 4) + 1] = float.NegativeInfinity;
                lp[(i * 4) + FakeDecoderSteps.Eos] = (float)Math.Log(eos);
                lp[(i * 4) + A] = (float)Math.Log(a);
                next[i] = count + 1;
            }

            return new StepResult(lp, [new BatchTensor<float>(next, [n], 0)]);
        }
    }
}
