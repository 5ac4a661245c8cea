using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class BrownCorpusTests
{
    [Theory]
    [InlineData("np-tl", "np")]
    [InlineData("nn-hl", "nn")]
    [InlineData("bez*", "bez")]
    [InlineData("pps+bez", "pps")]
    [InlineData("fw-nn", "nn")]
    [InlineData("nn-tl-hl", "nn")]
    [InlineData("*", "*")]
    [InlineData(".", ".")]
    [InlineData("--", "--")]
    public void SimplifyTag_KeepsTheBaseTag(string tag, string expected) =>
        Assert.Equal(expected, BrownCorpus.SimplifyTag(tag));

    [Fact]
    public void Load_NewsSection_HasTheDocumentedSize()
    {
        var news = BrownCorpus.Load("a");

        Assert.Equal(4623, news.Count);
        Assert.All(news, s => Assert.Equal(s.Words.Count, s.Tags.Count));
        Assert.Equal("The", news[0].Words[0]);
        Assert.Equal("at", news[0].Tags[0]);
    }
}
