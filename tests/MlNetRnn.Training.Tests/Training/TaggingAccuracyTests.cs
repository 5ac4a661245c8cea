using MlNetRnn.Training.Training;
using Xunit;

namespace MlNetRnn.Training.Tests.Training;

public sealed class TaggingAccuracyTests
{
    [Fact]
    public void Measure_SeparatesKnownAndUnknownWords()
    {
        var known = new HashSet<string> { "the", "dog" };
        var result = TaggingAccuracy.Measure(
            [(["the", "dog", "barked"], ["at", "nn", "vbd"], ["at", "vb", "vbd"]), (["zorp"], ["nn"], ["jj"])],
            known.Contains);

        Assert.Equal(new TaggingAccuracy(4, 2, 2, 1), result);
        Assert.Equal(0.5, result.All);
        Assert.Equal(0.5, result.Known);
        Assert.Equal(0.5, result.Unknown);
        Assert.Equal(2, result.UnknownTokens);
    }

    [Fact]
    public void Measure_ComparesMappedTags()
    {
        var result = TaggingAccuracy.Measure([(["dogs"], ["nns"], ["nn"])], _ => true, tag => tag[..2]);

        Assert.Equal(1.0, result.All);
    }

    [Fact]
    public void Measure_LengthMismatch_ThrowsNamingTheSentence()
    {
        var error = Assert.Throws<ArgumentException>(() => TaggingAccuracy.Measure([(["a", "b"], ["x", "y"], ["x"])], _ => true));

        Assert.Contains("Sentence 0", error.Message, StringComparison.Ordinal);
    }
}
