using MlNetRnn.Training.Baselines;
using Xunit;

namespace MlNetRnn.Training.Tests.Baselines;

public sealed class HmmTaggerTests
{
    private static (IReadOnlyList<string> Words, IReadOnlyList<string> Tags) S(string tagged)
    {
        var pairs = tagged.Split(' ').Select(t => t.Split('/')).ToArray();
        return (pairs.Select(p => p[0]).ToArray(), pairs.Select(p => p[1]).ToArray());
    }

    [Fact]
    public void Tag_ChoosesTheTagThatFitsTheFollowingWord()
    {
        // "x" is A as often as B; only the next word tells them apart, which a left-to-right greedy tagger cannot see.
        var tagger = HmmTagger.Train([S("x/A p/P"), S("x/A p/P"), S("x/B q/Q"), S("x/B q/Q"), S("x/B q/Q")]);

        Assert.Equal(["A", "P"], tagger.Tag(["x", "p"]));
        Assert.Equal(["B", "Q"], tagger.Tag(["x", "q"]));
    }

    [Fact]
    public void Tag_UsesTheTrigramContext()
    {
        // After "a", "x" is B; after "b", "x" is C; the tag right before "x" is the same (M) both times.
        var tagger = HmmTagger.Train([S("a/A m/M x/B"), S("a/A m/M x/B"), S("b/D m/M x/C"), S("b/D m/M x/C")]);

        Assert.Equal(["A", "M", "B"], tagger.Tag(["a", "m", "x"]));
        Assert.Equal(["D", "M", "C"], tagger.Tag(["b", "m", "x"]));
    }

    [Fact]
    public void Tag_UnknownWordsTakeTheTagOfRareWordsWithTheSameSuffix()
    {
        var tagger = HmmTagger.Train([S("walked/vbd"), S("jumped/vbd"), S("cats/nns"), S("dogs/nns"), S("Smith/np"), S("Jones/np"),
            S("stone/nn"), S("bone/nn")]);

        Assert.False(tagger.IsKnown("hopped"));
        Assert.Equal(["vbd"], tagger.Tag(["hopped"]));
        Assert.Equal(["nns"], tagger.Tag(["rats"]));
        Assert.Equal(["nn"], tagger.Tag(["cone"]));
        Assert.Equal(["np"], tagger.Tag(["Malone"]));   // capitalized words have their own suffix table
    }

    [Fact]
    public void Train_IsDeterministic_AndTheLambdasSumToOne()
    {
        var data = new[] { S("the/at dog/nn runs/vbz"), S("the/at cats/nns run/vb"), S("a/at dog/nn ran/vbd"), S("dogs/nns run/vb fast/rb") };
        var a = HmmTagger.Train(data);
        var b = HmmTagger.Train(data);
        string[] sentence = ["a", "cat", "runs", "fast"];

        Assert.Equal(a.Lambdas, b.Lambdas);
        Assert.Equal(1.0, a.Lambdas.Sum(), 12);
        Assert.Equal(a.Tag(sentence), b.Tag(sentence));
        Assert.Empty(a.Tag([]));
    }

    [Fact]
    public void Train_MismatchedTags_ThrowsNamingTheSentence()
    {
        var error = Assert.Throws<ArgumentException>(() => HmmTagger.Train([S("a/at"), (["b", "c"], ["x"])]));

        Assert.Contains("Sentence 1", error.Message, StringComparison.Ordinal);
    }
}
