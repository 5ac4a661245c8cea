using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class SentimentSentencesTests
{
    [Fact]
    public void Load_ReturnsThreeBalancedSourcesWithoutEmptyEntries()
    {
        var all = SentimentSentences.Load();

        Assert.Equal(3000, all.Count);
        foreach (var source in SentimentSentences.Sources)
        {
            var part = all.Where(x => x.Source == source).ToList();
            Assert.Equal(1000, part.Count);
            Assert.Equal(500, part.Count(x => x.Label == 1));
        }
        Assert.DoesNotContain(all, x => string.IsNullOrWhiteSpace(x.Text));
        Assert.Equal("Good case, Excellent value.", all[1].Text);
        Assert.Equal(1, all[1].Label);
    }
}
