using Xunit;
using MlNetRnn.Training.Evaluation;

namespace MlNetRnn.Training.Tests.Evaluation;

public sealed class SequenceErrorRatesTests
{
    private static IReadOnlyList<string> T(string tokens) => tokens.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("K AE T", "K AE T", 0)]
    [InlineData("K AE T", "K AH T", 1)]      // substitution
    [InlineData("K AE T", "K AE T S", 1)]    // insertion
    [InlineData("K AE T", "AE T", 1)]        // deletion
    [InlineData("K AE T", "T AE K", 2)]
    [InlineData("K AE T", "", 3)]
    [InlineData("", "K AE T", 3)]
    [InlineData("S IH T IH NG", "K IH T AH N", 3)]   // kitten/sitting shape: 2 substitutions + 1 deletion
    public void EditDistance_IsTheLevenshteinDistance(string reference, string prediction, int expected)
    {
        Assert.Equal(expected, SequenceErrorRates.EditDistance(T(reference), T(prediction)));
        Assert.Equal(expected, SequenceErrorRates.EditDistance(T(prediction), T(reference)));
    }

    [Fact]
    public void Compute_CountsWordsWithAnyErrorAndSumsEditsOverSummedReferenceLength()
    {
        // 4 words, 2 wrong; reference lengths 3 + 2 + 4 + 1 = 10; edits 0 + 1 + 2 + 0 = 3.
        var references = new[] { T("K AE T"), T("D AO"), T("HH AW S AH"), T("AY") };
        var predictions = new[] { T("K AE T"), T("D AO G"), T("HH AW Z"), T("AY") };

        var rates = SequenceErrorRates.Compute(references, predictions);

        Assert.Equal(new SequenceErrorRates(4, 2, 10, 3), rates);
        Assert.Equal(0.5, rates.WordErrorRate);
        Assert.Equal(0.3, rates.TokenErrorRate, 12);
    }

    [Fact]
    public void TokenErrorRate_IsNotTheMeanOfPerWordRates()
    {
        // Per word: 1/1 and 0/9, mean 0.5; summed: 1/10.
        var rates = SequenceErrorRates.Compute([T("AY"), T("AH B K D EH F G HH IH")], [T("OW"), T("AH B K D EH F G HH IH")]);

        Assert.Equal(0.1, rates.TokenErrorRate, 12);
    }

    [Fact]
    public void TokenErrorRate_CanExceedOne_AndIsNaNWithoutReferenceTokens()
    {
        Assert.Equal(3.0, SequenceErrorRates.Compute([T("AY")], [T("K AE T")]).TokenErrorRate);
        Assert.True(double.IsNaN(SequenceErrorRates.Compute([T("")], [T("")]).TokenErrorRate));
    }

    [Fact]
    public void Compute_DifferentCounts_IsRejectedWithBothCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => SequenceErrorRates.Compute([T("AY"), T("OW")], [T("AY")]));

        Assert.Contains("one prediction per reference (2), got 1", e.Message);
    }

    [Fact]
    public void Compute_NoSequences_IsRejected() =>
        Assert.Throws<ArgumentException>(() => SequenceErrorRates.Compute([], []));

    [Fact]
    public void Compute_NullPrediction_IsRejectedWithItsIndex()
    {
        var e = Assert.Throws<ArgumentNullException>(() => SequenceErrorRates.Compute([T("AY"), T("OW")], [T("AY"), null!]));

        Assert.Contains("Prediction 1", e.Message);
    }
}
