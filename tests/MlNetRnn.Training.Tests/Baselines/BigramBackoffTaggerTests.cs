using MlNetRnn.Training.Baselines;
using Xunit;

namespace MlNetRnn.Training.Tests.Baselines;

public sealed class BigramBackoffTaggerTests
{
    private static (IReadOnlyList<string> Words, IReadOnlyList<string> Tags) S(string tagged)
    {
        var pairs = tagged.Split(' ').Select(t => t.Split('/')).ToArray();
        return (pairs.Select(p => p[0]).ToArray(), pairs.Select(p => p[1]).ToArray());
    }

    // "run" is a verb twice and a noun once (after "the"); "vb" is the most frequent tag overall.
    private static readonly BigramBackoffTagger Tagger = BigramBackoffTagger.Train(
        [S("the/dt run/nn"), S("they/pps run/vb"), S("we/ppss run/vb")]);

    [Fact]
    public void Tag_UsesThePreviousTagWhenThatPairWasSeen()
        => Assert.Equal(["dt", "nn"], Tagger.Tag(["the", "run"]));

    [Fact]
    public void Tag_BacksOffToTheWordsMostFrequentTagThenToTheMostFrequentTag()
    {
        Assert.Equal("vb", Tagger.DefaultTag);
        Assert.Equal(["vb", "vb"], Tagger.Tag(["a", "run"]));          // "a" unknown → vb; (vb, run) unseen → run's tag vb
        Assert.Equal(["vb"], Tagger.Tag(["run"]));                      // (start, run) unseen → vb
        Assert.Equal(["pps", "vb"], Tagger.Tag(["they", "run"]));
    }

    [Fact]
    public void TagUnigram_GivesEachWordItsMostFrequentTag()
        => Assert.Equal(["dt", "vb", "vb"], Tagger.TagUnigram(["the", "run", "unseen"]));

    [Fact]
    public void Train_BreaksTiesInFavourOfTheTagSeenFirst()
    {
        var tagger = BigramBackoffTagger.Train([S("x/A"), S("x/B"), S("x/B"), S("x/A")]);
        Assert.Equal(["A"], tagger.TagUnigram(["x"]));
        Assert.Equal(["A"], tagger.Tag(["x"]));
        Assert.Equal("A", tagger.DefaultTag);
    }

    [Fact]
    public void Train_RejectsASentenceWithoutOneTagPerWord()
    {
        var e = Assert.Throws<ArgumentException>(() => BigramBackoffTagger.Train([S("a/x"), (["a", "b"], ["x"])]));
        Assert.Contains("Sentence 1", e.Message);
    }
}
