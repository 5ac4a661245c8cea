using MlNetRnn.Samples;
using Xunit;

namespace MlNetRnn.Samples.Tests;

public sealed class CharCorpusTests
{
    [Theory]
    [InlineData(1000, 900, 50, 50)]
    [InlineData(1019, 917, 51, 51)]
    [InlineData(7, 6, 0, 1)]
    [InlineData(0, 0, 0, 0)]
    public void Split_IsContiguousNinetyFiveFive_AndCoversTheTextOnce(int length, int train, int validation, int test)
    {
        string text = new(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)).ToArray());

        var (trainPart, validationPart, testPart) = CharCorpus.Split(text);

        Assert.Equal([train, validation, test], [trainPart.Length, validationPart.Length, testPart.Length]);
        Assert.Equal(text, trainPart + validationPart + testPart);
    }

    [Fact]
    public void Split_IsDeterministicAndTheHeldOutPartsAreDisjointPositions()
    {
        // Every character unique, so a part's characters say which positions it holds.
        string text = new(Enumerable.Range(0, 2000).Select(i => (char)(0x4E00 + i)).ToArray());

        var first = CharCorpus.Split(text);
        var second = CharCorpus.Split(new string(text.AsSpan()));

        Assert.Equal(first, second);
        Assert.Empty(first.Train.Intersect(first.Validation));
        Assert.Empty(first.Train.Intersect(first.Test));
        Assert.Empty(first.Validation.Intersect(first.Test));
        Assert.Equal(text[1800..1900], first.Validation);
        Assert.Equal(text[1900..], first.Test);
    }

    [Fact]
    public void Truncate_KeepsTheStart_ZeroMeaningAll()
    {
        Assert.Equal("abc", CharCorpus.Truncate("abcdef", 3));
        Assert.Equal("abcdef", CharCorpus.Truncate("abcdef", 0));
        Assert.Equal("abcdef", CharCorpus.Truncate("abcdef", 10));
    }

    [Fact]
    public void DefaultModelName_PerCorpus_AndUnknownCorpusNamesTheChoices()
    {
        Assert.Equal("moby-char-lstm", CharCorpus.DefaultModelName("moby"));
        Assert.Equal("code-char-lstm", CharCorpus.DefaultModelName("code"));
        var error = Assert.Throws<ArgumentException>(() => CharCorpus.DefaultModelName("prose"));
        Assert.Equal("--corpus: expected one of moby, code, got 'prose'.", error.Message);
    }
}
