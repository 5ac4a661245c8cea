using MlNetRnn.Training.Baselines;
using Xunit;

namespace MlNetRnn.Training.Tests.Baselines;

public sealed class LexiconSentimentClassifierTests
{
    private static readonly LexiconSentimentClassifier Classifier = new(
        new Dictionary<string, int> { ["good"] = 3, ["bad"] = -3, ["does not work"] = -3, ["it's"] = 1 },
        new HashSet<string> { "not", "don't" });

    [Fact]
    public void Tokenize_LowercasesAndSplitsOnThePackagePunctuation()
    {
        Assert.Equal(["hello", "world", "it's", "fine"], LexiconSentimentClassifier.Tokenize("Hello, World!  It's\nfine."));
        Assert.Equal(["a-b", "c"], LexiconSentimentClassifier.Tokenize("(a-b) \"c\""));
        Assert.Equal([""], LexiconSentimentClassifier.Tokenize("?!"));
    }

    [Theory]
    [InlineData("Good movie", 3)]
    [InlineData("not good", -3)]
    [InlineData("Good, not bad!", 6)]
    [InlineData("bad. Don't good", -6)]
    [InlineData("it does not work", 0)]        // multi-word entries never match single tokens, as in the package
    [InlineData("nothing listed here", 0)]
    public void Score_SumsTokenScoresAndNegatesAfterANegator(string text, int expected)
        => Assert.Equal(expected, Classifier.Score(text));

    [Theory]
    [InlineData("good", 1)]
    [InlineData("bad", 0)]
    [InlineData("good bad", 1)]               // score 0: ties count as positive (the package's validate.js)
    [InlineData("", 1)]
    public void Predict_IsPositiveWhenTheScoreIsZeroOrMore(string text, int expected)
        => Assert.Equal(expected, Classifier.Predict(text));
}
