using MlNetRnn.Training.Baselines;
using Xunit;

namespace MlNetRnn.Training.Tests.Baselines;

public sealed class KneserNeyNGramModelTests
{
    // "abcbab" with a = 0, b = 1, c = 2 and an id never seen (d = 3). Worked by hand:
    // bigrams ab ×2, bc, cb, ba → D2 = n1 / (n1 + 2 n2) = 3 / 5; continuation counts b 2 (ab, cb), c 1, a 1 → D1 = 2 / 4;
    // P1(b) = (2 − .5)/4 + .5·3/4·1/4 = .46875, P1(a) = P1(c) = .21875, P1(d) = .09375;
    // P2(b|a) = (2 − .6)/2 + .6·1/2·P1(b) = .840625; P2(a|b) = (1 − .6)/2 + .6·2/2·P1(a) = .33125.
    private static readonly int[] Train = [0, 1, 2, 1, 0, 1];
    private static readonly KneserNeyNGramModel Bigram = KneserNeyNGramModel.Train(Train, order: 2, vocabularySize: 4);

    [Fact]
    public void Train_EstimatesOneDiscountPerOrderFromCountsOfOneAndTwo()
        => Assert.Equal([0.5, 0.6], Bigram.Discounts.Select(d => Math.Round(d, 12)));

    [Theory]
    [InlineData(new int[0], 1, 0.46875)]
    [InlineData(new int[0], 0, 0.21875)]
    [InlineData(new int[0], 3, 0.09375)]
    [InlineData(new[] { 0 }, 1, 0.840625)]
    [InlineData(new[] { 1 }, 0, 0.33125)]
    [InlineData(new[] { 3 }, 3, 0.09375)]        // unseen history: the unigram distribution
    [InlineData(new[] { 2, 0 }, 1, 0.840625)]    // only the last Order − 1 ids count
    public void Probability_MatchesTheHandWorkedInterpolation(int[] history, int next, double expected)
        => Assert.Equal(expected, Bigram.Probability(history, next), 12);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Probability_SumsToOneOverTheVocabularyForAnyHistory(int order)
    {
        var random = new Random(3);
        int[] train = Enumerable.Range(0, 300).Select(_ => random.Next(5)).ToArray();   // ids 5 and 6 never seen
        var model = KneserNeyNGramModel.Train(train, order, vocabularySize: 7);
        int[][] histories = [[], [0], [1, 2], [3, 4, 0, 1], [6, 6, 6, 6], [train[10], train[11], train[12], train[13]]];
        foreach (var history in histories)
            Assert.Equal(1.0, Enumerable.Range(0, 7).Sum(next => model.Probability(history, next)), 12);
    }

    [Fact]
    public void CrossEntropy_IsTheMeanNegativeLogProbabilityWithHistoryFromTheSequence()
        => Assert.Equal(-(Math.Log(0.21875) + Math.Log(0.840625)) / 2, Bigram.CrossEntropy([0, 1]), 12);

    [Fact]
    public void Train_RejectsAnIdOutsideTheVocabulary()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KneserNeyNGramModel.Train([0, 4], 2, 4));
        Assert.Contains("position 1", e.Message);
    }
}
