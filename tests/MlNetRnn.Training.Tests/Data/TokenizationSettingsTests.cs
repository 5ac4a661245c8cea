using MlNetRnn.Training.Data;
using Xunit;

namespace MlNetRnn.Training.Tests.Data;

public sealed class TokenizationSettingsTests
{
    [Fact]
    public void ToJson_WritesTheDocumentedShape()
    {
        Assert.Equal("""{"level":"word","lowercase":true,"pattern":"\\w+(?:'\\w+)?|[^\\w\\s]"}""",
            new TokenizationSettings(TokenizationLevel.Word, lowercase: true).ToJson());
        Assert.Equal("""{"level":"word","lowercase":false,"pattern":"[a-zé]+|\\d"}""",
            new TokenizationSettings(TokenizationLevel.Word, lowercase: false, pattern: @"[a-zé]+|\d").ToJson());
        Assert.Equal("""{"level":"char","lowercase":false}""", new TokenizationSettings(TokenizationLevel.Character, lowercase: false).ToJson());
    }

    [Theory]
    [InlineData(TokenizationLevel.Word, true, null)]
    [InlineData(TokenizationLevel.Word, false, @"[^\s]+")]
    [InlineData(TokenizationLevel.Character, true, null)]
    public void ToJsonThenFromJson_GivesEqualSettings(TokenizationLevel level, bool lowercase, string? pattern)
    {
        var settings = new TokenizationSettings(level, lowercase, pattern);

        Assert.Equal(settings, TokenizationSettings.FromJson(settings.ToJson()));
    }

    [Fact]
    public void FromJson_WordLevelWithoutPattern_UsesTheDefaultPattern()
    {
        var settings = TokenizationSettings.FromJson("""{"level":"word","lowercase":false}""");

        Assert.Equal(TokenizationSettings.DefaultWordPattern, settings.Pattern);
    }

    [Theory]
    [InlineData("""{"level":"word"}""", "lowercase")]
    [InlineData("""{"lowercase":true}""", "level")]
    [InlineData("""{"level":0,"lowercase":true}""", "level")]
    [InlineData("""{"level":"bpe","lowercase":true}""", "level")]
    [InlineData("""{"level":"char","lowercase":true,"pattern":"\\w+"}""", "pattern")]
    [InlineData("""{"level":"word","lowercase":true,"pattern":"(\\w+"}""", "pattern")]
    [InlineData("""{"level":"word","lowercase":true,"pattern":"\\w*"}""", "empty string")]
    [InlineData("""[1,2]""", "JSON object")]
    [InlineData("""null""", "null")]
    [InlineData("""not json""", "JSON object")]
    public void FromJson_RejectsOtherShapesNamingTheProblem(string json, string expectedInMessage)
    {
        var e = Assert.Throws<FormatException>(() => TokenizationSettings.FromJson(json));

        Assert.Contains(expectedInMessage, e.Message);
    }

    [Fact]
    public void Constructor_RejectsAPatternThatMatchesTheEmptyString()
    {
        var e = Assert.Throws<ArgumentException>(() => new TokenizationSettings(TokenizationLevel.Word, false, "a*"));

        Assert.Equal("pattern", e.ParamName);
    }
}
