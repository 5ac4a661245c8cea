using MlNetRnn.Transforms.Onnx;
using Xunit;

namespace MlNetRnn.Transforms.Tests;

public sealed class TextTokenizationTests
{
    [Fact]
    public void Parse_ReadsTheReadmeContract()
    {
        Assert.Equal(new TextTokenization(true, false, "\\w+"), TextTokenization.Parse("""{"level":"word","lowercase":false,"pattern":"\\w+"}"""));
        Assert.Equal(new TextTokenization(false, true, TextTokenization.DefaultWordPattern), TextTokenization.Parse("""{"level":"char","lowercase":true}"""));
    }

    [Fact]
    public void ToJson_WritesTheContractShape_AndParsesBack()
    {
        var word = new TextTokenization(true, true, "[a-z]+");
        Assert.Equal("""{"level":"word","lowercase":true,"pattern":"[a-z]\u002B"}""", word.ToJson());
        Assert.Equal(word, TextTokenization.Parse(word.ToJson()));
        Assert.Equal("""{"level":"char","lowercase":false}""", new TextTokenization(false, false, TextTokenization.DefaultWordPattern).ToJson());
    }

    [Theory]
    [InlineData("""{"level":"byte","lowercase":true}""")]
    [InlineData("""{"level":"char"}""")]
    [InlineData("""{"WordLevel":true,"Lowercase":true,"Pattern":"x"}""")]
    [InlineData("not json")]
    [InlineData("null")]
    public void Parse_AnythingElse_ThrowsFormatExceptionQuotingTheText(string json)
    {
        var error = Assert.Throws<FormatException>(() => TextTokenization.Parse(json));
        Assert.Contains(json, error.Message);
    }
}
