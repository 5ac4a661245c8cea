using MlNetRnn.Training.Datasets;
using Xunit;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class BrownSplitTests
{
    private static List<BrownDocument> Genre(string genre, string prefix, int count) =>
        Enumerable.Range(1, count).Select(i => new BrownDocument($"{prefix}{i:D2}", genre, [])).ToList();

    private static IEnumerable<string> Ids(IEnumerable<BrownDocument> part) => part.Select(d => d.Id);

    [Fact]
    public void ByDocument_PutsTheLastDocumentOfEachBlockInTestAndTheOneBeforeInValidation()
    {
        var split = BrownSplit.ByDocument(Genre("news", "ca", 44));

        // k = round(44 / 10) = 4 blocks ending at positions 10, 21, 32, 43 (0-based).
        Assert.Equal(["ca11", "ca22", "ca33", "ca44"], Ids(split.Test));
        Assert.Equal(["ca10", "ca21", "ca32", "ca43"], Ids(split.Validation));
        Assert.Equal(36, split.Train.Count);
    }

    [Fact]
    public void ByDocument_StratifiesByGenre_SmallGenresStillGetOneTestAndOneValidationDocument()
    {
        var split = BrownSplit.ByDocument([.. Genre("science_fiction", "cm", 6), .. Genre("humor", "cr", 9), .. Genre("tiny", "cz", 2)]);

        Assert.Equal(["cr09", "cm06"], Ids(split.Test));           // genres in ordinal order: humor, science_fiction, tiny
        Assert.Equal(["cr08", "cm05"], Ids(split.Validation));
        Assert.Equal(4 + 7 + 2, split.Train.Count);
        Assert.Contains("cz01", Ids(split.Train));
        Assert.Contains("cz02", Ids(split.Train));
    }

    [Fact]
    public void ByDocument_DoesNotDependOnInputOrder_AndKeepsEveryDocumentOnce()
    {
        var documents = Genre("learned", "cj", 80).Concat(Genre("news", "ca", 44)).ToList();
        var reversed = Enumerable.Reverse(documents).ToList();

        var a = BrownSplit.ByDocument(documents);
        var b = BrownSplit.ByDocument(reversed);

        Assert.Equal(a.Describe(), b.Describe());
        Assert.Equal(documents.Select(d => d.Id).Order(StringComparer.Ordinal),
            Ids(a.Train.Concat(a.Validation).Concat(a.Test)).Order(StringComparer.Ordinal));
        Assert.Equal(8 + 4, a.Test.Count);
    }

    [Fact]
    public void ByDocument_DuplicateIds_ThrowNamingTheId()
    {
        var error = Assert.Throws<ArgumentException>(() => BrownSplit.ByDocument([.. Genre("news", "ca", 3), .. Genre("news", "ca", 1)]));

        Assert.Contains("'ca01'", error.Message, StringComparison.Ordinal);
    }
}
