using MlNetRnn.Training.Datasets;
using Xunit;

namespace MlNetRnn.Training.Tests.Baselines;

public sealed class AfinnLexiconTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "afinn-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // The package's layout, in miniature.
    private void WritePackage(string labels)
    {
        Directory.CreateDirectory(Path.Combine(dir, "languages", "en"));
        Directory.CreateDirectory(Path.Combine(dir, "build"));
        File.WriteAllText(Path.Combine(dir, "languages", "en", "labels.json"), labels);
        File.WriteAllText(Path.Combine(dir, "languages", "en", "negators.json"), """{ "not": 1, "don't": 1 }""");
        File.WriteAllText(Path.Combine(dir, "build", "emoji.json"), """{ "😀": 2, "bad": -1 }""");
    }

    [Fact]
    public void LoadFrom_ReadsWordScoresEmojiScoresOverThemAndNegators()
    {
        WritePackage("""{ "good": 3, "bad": -3 }""");
        var classifier = AfinnLexicon.LoadFrom(dir);
        Assert.Equal(3, classifier.Score("good"));
        Assert.Equal(-1, classifier.Score("bad"));             // the emoji list is assigned over the word list, as the package does
        Assert.Equal(1 + 2, classifier.Score("not bad 😀"));
        Assert.Equal(-3, classifier.Score("don't good"));
    }

    [Fact]
    public void LoadFrom_RejectsAScoreThatIsNotAnInteger()
    {
        WritePackage("""{ "good": "very" }""");
        var e = Assert.Throws<InvalidDataException>(() => AfinnLexicon.LoadFrom(dir));
        Assert.Contains("labels.json", e.Message);
        Assert.Contains("'good'", e.Message);
    }
}
