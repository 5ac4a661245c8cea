using MlNetRnn.Training.Datasets;
using Xunit;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class UniversalTagsetTests
{
    [Theory]
    [InlineData("nn", "NOUN")]
    [InlineData("np", "NOUN")]
    [InlineData("vbd", "VERB")]
    [InlineData("at", "DET")]
    [InlineData("in", "ADP")]
    [InlineData("pps", "PRON")]
    [InlineData(".", ".")]
    [InlineData("abl", "PRT")]
    [InlineData("jj$", "ADJ")]
    public void FromBrown_MapsBaseTagsAsEnBrownMapDoes(string baseTag, string expected) =>
        Assert.Equal(expected, UniversalTagset.FromBrown(baseTag));

    [Fact]
    public void FromBrown_EveryBaseTagOfTheFixtureMapsToOneOfTheTwelveTags()
    {
        var tags = BrownCorpus.LoadFrom(DatasetFixtures.PackageDirectory("brown")).SelectMany(s => s.Tags).Distinct();

        Assert.All(tags, t => Assert.Contains(UniversalTagset.FromBrown(t), UniversalTagset.Tags));
    }

    [Fact]
    public void FromBrown_UnknownTag_ThrowsNamingIt()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => UniversalTagset.FromBrown("zz"));

        Assert.Contains("'zz'", error.Message, StringComparison.Ordinal);
        Assert.False(UniversalTagset.TryFromBrown("zz", out _));
    }
}
