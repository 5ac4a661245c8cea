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
    public void LoadFrom_ReadsOneSentencePerLine_FileByFile_SkippingOtherFiles()
    {
        var all = BrownCorpus.LoadFrom(DatasetFixtures.PackageDirectory("brown"));

        Assert.Equal(["ca01", "ca01", "ca01", "ca01", "ca02", "ca02", "cb01", "cb01"], all.Select(s => s.Source));
        Assert.Equal([25, 43, 35, 37, 3, 23, 5, 23], all.Select(s => s.Words.Count));
        Assert.All(all, s => Assert.Equal(s.Words.Count, s.Tags.Count));
        Assert.Equal(["The", "Fulton", "County"], all[0].Words.Take(3));
        Assert.Equal(["at", "np", "nn"], all[0].Tags.Take(3));
        Assert.Equal("Atlanta's", all[0].Words[10]);
        Assert.Equal("np$", all[0].Tags[10]);
    }

    [Fact]
    public void LoadFrom_Category_KeepsOnlyThatCategorysFiles()
    {
        var news = BrownCorpus.LoadFrom(DatasetFixtures.PackageDirectory("brown"), categories: "a");

        Assert.Equal(6, news.Count);
        Assert.All(news, s => Assert.StartsWith("ca", s.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFrom_WithoutSimplifying_KeepsTheFullTags()
    {
        var all = BrownCorpus.LoadFrom(DatasetFixtures.PackageDirectory("brown"), simplifyTags: false);

        Assert.Equal(["at", "np-tl", "nn-tl"], all[0].Tags.Take(3));
        Assert.Equal(",-hl", all[4].Tags[1]);
    }

    [Fact]
    public void LoadDocumentsFrom_GroupsSentencesByDocument_WithTheGenreOfCatsTxt()
    {
        var documents = BrownCorpus.LoadDocumentsFrom(DatasetFixtures.PackageDirectory("brown"));

        Assert.Equal(["ca01", "ca02", "cb01"], documents.Select(d => d.Id));
        Assert.Equal(["news", "news", "editorial"], documents.Select(d => d.Genre));
        Assert.Equal([4, 2, 2], documents.Select(d => d.Sentences.Count));
        Assert.All(documents, d => Assert.All(d.Sentences, s => Assert.Equal(d.Id, s.Source)));
    }

    [Fact]
    public void LoadDocumentsFrom_DocumentWithoutAGenre_ThrowsNamingIt()
    {
        string dir = Directory.CreateTempSubdirectory("brown-").FullName;
        try
        {
            File.Copy(Path.Combine(DatasetFixtures.PackageDirectory("brown"), "ca01"), Path.Combine(dir, "ca01"));
            File.WriteAllText(Path.Combine(dir, "cats.txt"), "ca02 news\n");

            var error = Assert.Throws<InvalidDataException>(() => BrownCorpus.LoadDocumentsFrom(dir));

            Assert.Contains("'ca01'", error.Message, StringComparison.Ordinal);
            File.Delete(Path.Combine(dir, "cats.txt"));
            Assert.Throws<FileNotFoundException>(() => BrownCorpus.LoadDocumentsFrom(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
