using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class SentimentSentencesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-sentiment-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LoadFrom_ReadsTheSourcesInOrder_AndDropsTheEntriesWithoutAClass()
    {
        var all = SentimentSentences.LoadFrom(DatasetFixtures.PackageDirectory("sentiment"));

        Assert.Equal(["amazon", "amazon", "amazon", "amazon", "imdb", "imdb", "imdb", "yelp", "yelp", "yelp"], all.Select(x => x.Source));
        Assert.Equal([0, 1, 1, 0, 0, 0, 0, 1, 0, 0], all.Select(x => x.Label));
        Assert.DoesNotContain(all, x => string.IsNullOrWhiteSpace(x.Text));
        Assert.Equal("Good case, Excellent value.", all[1].Text);
        Assert.Equal("Wow... Loved this place.", all[7].Text);
    }

    [Fact]
    public void LoadFrom_EntryWithAClassButNoText_IsRejectedWithTheFileAndEntry()
    {
        WriteSources("""[{"text":"fine","class":1},{"class":0}]""");

        var e = Assert.Throws<InvalidDataException>(() => SentimentSentences.LoadFrom(directory));

        Assert.Contains("amazon.json, entry 1", e.Message);
    }

    [Fact]
    public void LoadFrom_FileThatIsNotJson_IsRejectedWithItsPath()
    {
        WriteSources("text,class\nfine,1\n");

        var e = Assert.Throws<InvalidDataException>(() => SentimentSentences.LoadFrom(directory));

        Assert.Contains("amazon.json: not valid JSON", e.Message);
    }

    private void WriteSources(string json)
    {
        string fixtures = Path.Combine(directory, "test", "fixtures");
        Directory.CreateDirectory(fixtures);
        foreach (var source in SentimentSentences.Sources)
            File.WriteAllText(Path.Combine(fixtures, source + ".json"), json);
    }
}
