using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace MlNetRnn.Training.Data;

/// <summary>
/// Maps tokens to ids and back. Id 0 is <see cref="PadToken"/>, id 1 is <see cref="UnkToken"/>, real tokens are 2…<see cref="Count"/>−1.
/// </summary>
/// <remarks>
/// <para>
/// The reserved ids line up with ML.NET's key convention: <c>MapValueToKey</c> gives keys 1…N and key 0 means missing, so a
/// key-typed token column can be read as ids directly (key k = id k) and key 0 (missing) is read as <see cref="UnkId"/>.
/// </para>
/// <para>
/// Tokenization (see <see cref="Tokenize(string)"/>) is fully described by <see cref="Settings"/>, word pattern included, so that
/// the scoring side can mirror it exactly. Instances are immutable and safe to share between threads.
/// </para>
/// </remarks>
public sealed class Vocabulary
{
    /// <summary>The token at <see cref="PadId"/>.</summary>
    public const string PadToken = "<pad>";

    /// <summary>The token at <see cref="UnkId"/>; every token not in the vocabulary encodes to it.</summary>
    public const string UnkToken = "<unk>";

    /// <summary>The padding id, 0. Its embedding is zero and it never appears inside a sequence.</summary>
    public const int PadId = 0;

    /// <summary>The unknown-token id, 1.</summary>
    public const int UnkId = 1;

    private const string FileFormat = "mlnetrnn.vocabulary";
    private const int FileVersion = 1;
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string[] tokens;
    private readonly Dictionary<string, int> ids;
    private readonly Regex? wordRegex;

    private Vocabulary(string[] tokens, TokenizationSettings settings)
    {
        this.tokens = tokens;
        Settings = settings;
        wordRegex = settings.CreateWordRegex(compiled: true);
        ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!ids.TryAdd(tokens[i], i))
                throw new ArgumentException($"Vocabulary tokens: expected distinct tokens, but \"{tokens[i]}\" appears at ids {ids[tokens[i]]} and {i}.", nameof(tokens));
        }
    }

    /// <summary>How text is tokenized before lookup.</summary>
    public TokenizationSettings Settings { get; }

    /// <summary>Number of ids, reserved ones included (the model's vocabulary size).</summary>
    public int Count => tokens.Length;

    /// <summary>The tokens in id order: <c>Tokens[id]</c> is the token of <c>id</c>.</summary>
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>The token of an id.</summary>
    /// <param name="id">An id in <c>[0, Count)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside <c>[0, Count)</c>.</exception>
    public string this[int id]
    {
        get
        {
            CheckId(id, nameof(id));
            return tokens[id];
        }
    }

    /// <summary>Builds a character-level vocabulary: one token per UTF-16 code unit, whitespace included.</summary>
    /// <param name="texts">The training texts.</param>
    /// <param name="minCount">Keep characters seen at least this often (≥ 1).</param>
    /// <param name="maxSize">Largest <see cref="Count"/>, the two reserved ids included (≥ 2); <see langword="null"/> for no limit.</param>
    /// <param name="lowercase">Lowercase text (invariant culture) before counting and encoding.</param>
    /// <returns>The vocabulary; real tokens ordered by descending count, ties by ordinal order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> or <paramref name="maxSize"/> is out of range.</exception>
    public static Vocabulary BuildCharacterLevel(IEnumerable<string> texts, int minCount = 1, int? maxSize = null, bool lowercase = false) =>
        Build(texts, new TokenizationSettings(TokenizationLevel.Character, lowercase), minCount, maxSize);

    /// <summary>Builds a word-level vocabulary with the <see cref="TokenizationSettings.DefaultWordPattern"/> tokenizer.</summary>
    /// <param name="texts">The training texts.</param>
    /// <param name="minCount">Keep words seen at least this often (≥ 1).</param>
    /// <param name="maxSize">Largest <see cref="Count"/>, the two reserved ids included (≥ 2); <see langword="null"/> for no limit.</param>
    /// <param name="lowercase">Lowercase text (invariant culture) before counting and encoding.</param>
    /// <returns>The vocabulary; real tokens ordered by descending count, ties by ordinal order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> or <paramref name="maxSize"/> is out of range.</exception>
    public static Vocabulary BuildWordLevel(IEnumerable<string> texts, int minCount = 1, int? maxSize = null, bool lowercase = true) =>
        Build(texts, new TokenizationSettings(TokenizationLevel.Word, lowercase), minCount, maxSize);

    /// <summary>Builds a vocabulary from texts tokenized with any settings, for example a word vocabulary with its own pattern.</summary>
    /// <param name="texts">The training texts.</param>
    /// <param name="settings">How the texts are tokenized; recorded with the vocabulary, saved with it and exported with the model.</param>
    /// <param name="minCount">Keep tokens seen at least this often (≥ 1).</param>
    /// <param name="maxSize">Largest <see cref="Count"/>, the two reserved ids included (≥ 2); <see langword="null"/> for no limit.</param>
    /// <returns>The vocabulary; real tokens ordered by descending count, ties by ordinal order.</returns>
    /// <exception cref="ArgumentNullException">An argument or one of the texts is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> or <paramref name="maxSize"/> is out of range.</exception>
    public static Vocabulary Build(IEnumerable<string> texts, TokenizationSettings settings, int minCount = 1, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(settings);
        var regex = settings.CreateWordRegex(compiled: false);
        // Tokenize has already lowercased when the settings ask for it.
        var tokenized = texts.Select(t => t is null ? null! : Tokenize(t, settings, regex));
        return FromCounts(CountTokens(tokenized, lowercase: false, nameof(texts)), settings, minCount, maxSize);
    }

    /// <summary>Builds a vocabulary from already tokenized sequences (for example the words of a tagged corpus).</summary>
    /// <param name="sequences">The token sequences; tokens are taken as they are (lowercased first when <paramref name="settings"/> says so).</param>
    /// <param name="settings">The settings recorded with the vocabulary and used by <see cref="Tokenize(string)"/>.</param>
    /// <param name="minCount">Keep tokens seen at least this often (≥ 1).</param>
    /// <param name="maxSize">Largest <see cref="Count"/>, the two reserved ids included (≥ 2); <see langword="null"/> for no limit.</param>
    /// <returns>The vocabulary; real tokens ordered by descending count, ties by ordinal order.</returns>
    /// <exception cref="ArgumentNullException">An argument or item is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> or <paramref name="maxSize"/> is out of range.</exception>
    public static Vocabulary BuildFromTokens(IEnumerable<IEnumerable<string>> sequences, TokenizationSettings settings, int minCount = 1, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(settings);
        return FromCounts(CountTokens(sequences, settings.Lowercase, nameof(sequences)), settings, minCount, maxSize);
    }

    /// <summary>Restores a vocabulary from its tokens in id order (for example <see cref="Tokens"/> of a saved one).</summary>
    /// <param name="tokens">All tokens, <see cref="PadToken"/> and <see cref="UnkToken"/> first, then distinct real tokens.</param>
    /// <param name="settings">The tokenization settings the vocabulary was built with.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentNullException">An argument or token is null.</exception>
    /// <exception cref="ArgumentException">The reserved tokens are missing or misplaced, or a token repeats.</exception>
    public static Vocabulary FromTokens(IEnumerable<string> tokens, TokenizationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(settings);
        var array = tokens.ToArray();
        if (array.Length < 2 || array[PadId] != PadToken || array[UnkId] != UnkToken)
        {
            string got = string.Join(", ", array.Take(2).Select(t => t is null ? "null" : $"\"{t}\""));
            throw new ArgumentException($"Vocabulary tokens: expected \"{PadToken}\" at id {PadId} and \"{UnkToken}\" at id {UnkId}, got [{got}].", nameof(tokens));
        }

        for (int i = 0; i < array.Length; i++)
        {
            if (array[i] is null)
                throw new ArgumentNullException(nameof(tokens), $"Vocabulary tokens: token at id {i} is null.");
        }

        return new Vocabulary(array, settings);
    }

    /// <summary>
    /// A vocabulary with the same ids and settings plus, after them, those of <paramref name="candidates"/> it lacks and that
    /// its tokenizer produces as one token (others could never be looked up), for example the most frequent words of a set
    /// of pretrained <see cref="WordVectors"/>.
    /// </summary>
    /// <param name="candidates">The tokens to add, in the order their ids are given; repeats are added once.</param>
    /// <returns>The extended vocabulary (this one is unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidates"/> or one of them is null.</exception>
    public Vocabulary WithTokens(IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var known = new HashSet<string>(tokens, StringComparer.Ordinal);
        var added = candidates.Where(t => Tokenize(t ?? throw new ArgumentNullException(nameof(candidates), "A candidate token is null.")) is [var only] && only == t && known.Add(t));
        return new Vocabulary(tokens.Concat(added).ToArray(), Settings);
    }

    /// <summary>Cuts text into tokens as <see cref="Settings"/> say (lowercasing first when asked).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<string> Tokenize(string text) => Tokenize(text, Settings, wordRegex);

    /// <summary>Cuts text into tokens with the given settings, exactly as a vocabulary with those settings does.</summary>
    /// <param name="text">The text.</param>
    /// <param name="settings">The tokenization settings.</param>
    /// <returns>The tokens, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyList<string> Tokenize(string text, TokenizationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Tokenize(text, settings, settings.CreateWordRegex(compiled: false));
    }

    internal static string[] Tokenize(string text, TokenizationSettings settings, Regex? wordRegex)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (settings.Lowercase)
            text = text.ToLowerInvariant();
        if (settings.Level == TokenizationLevel.Character)
        {
            var chars = new string[text.Length];
            for (int i = 0; i < text.Length; i++)
                chars[i] = text[i].ToString();
            return chars;
        }

        var matches = wordRegex!.Matches(text);
        var words = new string[matches.Count];
        for (int i = 0; i < words.Length; i++)
            words[i] = matches[i].Value;
        return words;
    }

    /// <summary>Tokenizes text and looks every token up; unknown tokens become <see cref="UnkId"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>One id per token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int[] Encode(string text) => EncodeTokens(Tokenize(text));

    /// <summary>
    /// Looks already tokenized text up (for example the words of a tagged corpus): no splitting, but lowercased first when
    /// <see cref="Settings"/> say so. Unknown tokens become <see cref="UnkId"/>.
    /// </summary>
    /// <param name="tokens">The tokens.</param>
    /// <returns>One id per token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokens"/> or a token is null.</exception>
    public int[] EncodeTokens(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return tokens.Select(t => IdOf(Settings.Lowercase ? t?.ToLowerInvariant()! : t)).ToArray();
    }

    /// <summary>The id of a token, or <see cref="UnkId"/> when it is not in the vocabulary.</summary>
    /// <param name="token">The token, matched ordinally.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is null.</exception>
    public int IdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ids.TryGetValue(token, out int id) ? id : UnkId;
    }

    /// <summary>Turns ids back into text: padding ids are skipped, characters are concatenated, words joined by one space.</summary>
    /// <param name="ids">Ids in <c>[0, Count)</c>.</param>
    /// <returns>The text; an unknown id gives <see cref="UnkToken"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside <c>[0, Count)</c>.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var builder = new StringBuilder();
        string separator = Settings.Level == TokenizationLevel.Word ? " " : string.Empty;
        foreach (int id in ids)
        {
            CheckId(id, nameof(ids));
            if (id == PadId)
                continue;
            if (builder.Length > 0)
                builder.Append(separator);
            builder.Append(tokens[id]);
        }

        return builder.ToString();
    }

    /// <summary>Writes the vocabulary as JSON: <c>{"format":"mlnetrnn.vocabulary","version":1,"tokenization":{…},"tokens":[…]}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        Save(buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the JSON form (see <see cref="ToJson"/>) to a stream, left open.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, new VocabularyFile(FileFormat, FileVersion, Settings, tokens), JsonOptions);
    }

    /// <summary>Writes the JSON form (see <see cref="ToJson"/>) to a file, replacing it.</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.Create(path);
        Save(stream);
    }

    /// <summary>Reads a vocabulary written by <see cref="Save(Stream)"/>.</summary>
    /// <param name="stream">A readable stream positioned at the JSON.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="FormatException">The content is not a vocabulary of a supported version.</exception>
    public static Vocabulary Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string expected = $"Vocabulary: expected a JSON object {{\"format\":\"{FileFormat}\",\"version\":{FileVersion},\"tokenization\":{{…}},\"tokens\":[…]}}";
        VocabularyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<VocabularyFile>(stream, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{expected}, got invalid content ({e.Message}).", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Vocabulary: \"tokenization\": {e.Message}", e);
        }

        if (file is null || file.Format != FileFormat)
            throw new FormatException($"{expected}, got format \"{file?.Format}\".");
        if (file.Version != FileVersion)
            throw new FormatException($"Vocabulary: expected \"version\":{FileVersion}, got {file.Version}.");
        if (file.Tokenization is null)
            throw new FormatException("Vocabulary: expected a \"tokenization\" object, got none.");
        if (file.Tokens is null)
            throw new FormatException("Vocabulary: expected a \"tokens\" array, got none.");
        try
        {
            return FromTokens(file.Tokens, file.Tokenization);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Reads a vocabulary file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FormatException">The file is not a vocabulary of a supported version.</exception>
    public static Vocabulary Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads the JSON form written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The JSON is not a vocabulary of a supported version.</exception>
    public static Vocabulary FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
    }

    private static Dictionary<string, long> CountTokens(IEnumerable<IEnumerable<string>> sequences, bool lowercase, string paramName)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        int index = 0;
        foreach (var sequence in sequences)
        {
            if (sequence is null)
                throw new ArgumentNullException(paramName, $"{paramName}: item {index} is null.");
            foreach (string token in sequence)
            {
                if (token is null)
                    throw new ArgumentNullException(paramName, $"{paramName}: item {index} contains a null token.");
                string key = lowercase ? token.ToLowerInvariant() : token;
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }

            index++;
        }

        return counts;
    }

    internal static Vocabulary FromCounts(Dictionary<string, long> counts, TokenizationSettings settings, int minCount, int? maxSize)
    {
        if (minCount < 1)
            throw new ArgumentOutOfRangeException(nameof(minCount), minCount, $"{nameof(minCount)}: expected at least 1, got {minCount}.");
        if (maxSize is < 2)
            throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, $"{nameof(maxSize)}: expected at least 2 (the padding and unknown ids) or null, got {maxSize}.");

        var realTokens = counts
            .Where(kv => kv.Value >= minCount && kv.Key is not (PadToken or UnkToken))
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key)
            .Take(maxSize is int max ? max - 2 : int.MaxValue);
        return new Vocabulary([PadToken, UnkToken, .. realTokens], settings);
    }

    private void CheckId(int id, string paramName)
    {
        if ((uint)id >= (uint)tokens.Length)
            throw new ArgumentOutOfRangeException(paramName, id, string.Create(CultureInfo.InvariantCulture, $"{paramName}: expected an id in [0, {tokens.Length}), got {id}."));
    }

    /// <summary>The vocabulary file's JSON shape.</summary>
    private sealed record VocabularyFile(
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("tokenization")] TokenizationSettings Tokenization,
        [property: JsonPropertyName("tokens")] string[] Tokens);
}
