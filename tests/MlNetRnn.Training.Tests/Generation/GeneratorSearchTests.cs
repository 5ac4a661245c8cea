using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using Xunit;

namespace MlNetRnn.Training.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class GeneratorSearchTests
{
    private const int MaxLength = 8;

    [Theory]
    [InlineData(RnnCellType.Lstm, true)]
    [InlineData(RnnCellType.Gru, false)]
    [InlineData(RnnCellType.RnnTanh, true)]
    public void BeamSearch_WithBeamOne_EqualsGreedy(RnnCellType cell, bool attention)
    {
        using var model = GeneratorFixtures.Seq2Seq(cell, attention, bidirectional: true);
        var sources = GeneratorFixtures.Sources(6, 7, seed: 8);
        var greedy = GeneratorSearch.Greedy(model, sources, MaxLength);

        for (int i = 0; i < sources.Length; i++)
        {
            var beam = GeneratorSearch.BeamSearch(model, sources[i], beamSize: 1, MaxLength, lengthNormalization: 0.7);
            var only = Assert.Single(beam);
            Assert.Equal(greedy[i].Tokens, only.Tokens);
            Assert.Equal(greedy[i].Finished, only.Finished);
            Assert.Equal(greedy[i].LogProbability, only.LogProbability, 1e-5);
        }
    }

    [Fact]
    public void BeamSearch_Conditioned_WithBeamOne_EqualsGreedy()
    {
        using var model = GeneratorFixtures.Conditioned(RnnCellType.Lstm, conditionAtFirstStep: true);
        var conditions = GeneratorFixtures.Conditions(5, GeneratorFixtures.ConditionSize, seed: 9);
        var greedy = GeneratorSearch.Greedy(model, conditions, MaxLength);

        for (int i = 0; i < conditions.Length; i++)
            Assert.Equal(greedy[i].Tokens, Assert.Single(GeneratorSearch.BeamSearch(model, conditions[i], 1, MaxLength)).Tokens);
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    public void BeamSearch_FindsASequenceAtLeastAsLikelyAsGreedy(RnnCellType cell)
    {
        using var model = GeneratorFixtures.Seq2Seq(cell, attention: true, bidirectional: false, seed: 21);
        var sources = GeneratorFixtures.Sources(8, 7, seed: 10);
        var greedy = GeneratorSearch.Greedy(model, sources, MaxLength);

        for (int i = 0; i < sources.Length; i++)
        {
            var beam = GeneratorSearch.BeamSearch(model, sources[i], beamSize: 4, MaxLength);
            Assert.InRange(beam.Count, 1, 4);
            Assert.True(beam[0].LogProbability >= greedy[i].LogProbability - 1e-6, $"source {i}: beam {beam[0].LogProbability} < greedy {greedy[i].LogProbability}");
            Assert.Equal(beam.OrderByDescending(b => b.Score), beam);
        }
    }

    [Fact]
    public void Greedy_ARowDecodesTheSameAloneAndInAnyBatch()
    {
        using var model = GeneratorFixtures.Seq2Seq(RnnCellType.Lstm, attention: true, bidirectional: true);
        var sources = GeneratorFixtures.Sources(7, 9, seed: 12);
        var batched = GeneratorSearch.Greedy(model, sources, MaxLength);
        var reversed = GeneratorSearch.Greedy(model, sources.Reverse().ToArray(), MaxLength).Reverse().ToArray();

        for (int i = 0; i < sources.Length; i++)
        {
            var alone = GeneratorSearch.Greedy(model, [sources[i]], MaxLength)[0];
            Assert.Equal(alone.Tokens, batched[i].Tokens);
            Assert.Equal(alone.Tokens, reversed[i].Tokens);
            Assert.Equal(alone.LogProbability, batched[i].LogProbability, 1e-5);
        }
    }

    [Fact]
    public void Greedy_EmptySource_IsDecodedAsOnePaddingToken()
    {
        using var model = GeneratorFixtures.Seq2Seq(RnnCellType.Gru, attention: true, bidirectional: true);

        var empty = GeneratorSearch.Greedy(model, [[]], MaxLength)[0];
        var pad = GeneratorSearch.Greedy(model, [[model.Config.SourcePadId]], MaxLength)[0];

        Assert.Equal(pad.Tokens, empty.Tokens);
        Assert.Equal(pad.LogProbability, empty.LogProbability, 1e-6);
    }

    [Fact]
    public void Greedy_NeverGeneratesPadOrBos_AndStopsAtMaxLength()
    {
        using var model = GeneratorFixtures.Conditioned(RnnCellType.RnnTanh, conditionAtFirstStep: false, seed: 3);
        var results = GeneratorSearch.Greedy(model, GeneratorFixtures.Conditions(6, GeneratorFixtures.ConditionSize, seed: 2), maxLength: 3);

        foreach (var result in results)
        {
            Assert.True(result.Tokens.Length <= 3);
            Assert.DoesNotContain(result.Tokens, t => t <= TargetVocabulary.EosId);
            if (!result.Finished)
                Assert.Equal(3, result.Tokens.Length);
        }
    }

    [Fact]
    public void Sample_IsReproducibleWithASeed_AndVariesAcrossSeeds()
    {
        using var model = GeneratorFixtures.Conditioned(RnnCellType.Gru, conditionAtFirstStep: true);
        float[] condition = ConditionedSequence.OneHot(1, GeneratorFixtures.ConditionSize);

        var first = Enumerable.Range(0, 10).Select(seed => GeneratorSearch.Sample(model, condition, MaxLength, temperature: 1.0, seed: seed)).ToArray();
        var second = Enumerable.Range(0, 10).Select(seed => GeneratorSearch.Sample(model, condition, MaxLength, temperature: 1.0, seed: seed)).ToArray();

        for (int i = 0; i < first.Length; i++)
            Assert.Equal(first[i].Tokens, second[i].Tokens);
        Assert.True(first.Select(s => string.Join(",", s.Tokens)).Distinct().Count() > 1, "ten seeds gave one sequence");
    }

    [Fact]
    public void Sample_WithTemperatureZeroOrTopKOne_IsGreedy()
    {
        using var model = GeneratorFixtures.Conditioned(RnnCellType.Lstm, conditionAtFirstStep: false);
        float[] condition = [0.3f, -0.7f, 0.1f];
        var greedy = GeneratorSearch.Greedy(model, [condition], MaxLength)[0];

        Assert.Equal(greedy.Tokens, GeneratorSearch.Sample(model, condition, MaxLength, temperature: 0, seed: 5).Tokens);
        Assert.Equal(greedy.Tokens, GeneratorSearch.Sample(model, condition, MaxLength, temperature: 2.0, topK: 1, seed: 5).Tokens);
    }

    [Fact]
    public void Search_BadArguments_ThrowClearErrors()
    {
        using var model = GeneratorFixtures.Conditioned(RnnCellType.Gru, conditionAtFirstStep: false);
        using var seq2seq = GeneratorFixtures.Seq2Seq(RnnCellType.Gru, attention: false, bidirectional: false);

        Assert.Contains("3 values", Assert.Throws<ArgumentException>(() => GeneratorSearch.Greedy(model, [new float[2]], MaxLength)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GeneratorSearch.BeamSearch(model, new float[3], beamSize: 0, MaxLength));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeneratorSearch.Sample(model, new float[3], MaxLength, temperature: -1));
        Assert.Contains("position 1", Assert.Throws<ArgumentException>(() => GeneratorSearch.Greedy(seq2seq, [[2, 99]], MaxLength)).Message);
    }
}
