using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace MlNetRnn.Training.Data;

/// <summary>How text is cut into tokens before it is looked up in a <see cref="Vocabulary"/>: the tokenization contract.</summary>
/// <remarks>
/// <para>
/// The JSON form (<see cref="ToJson"/>) is the value of the ONNX metadata key <c>mlnetrnn.tokenization</c> and the
/// <c>tokenization</c> object of a vocabulary file: <c>{"level":"char"|"word","lowercase":true|false,"pattern":"…"}</c>,
/// with <c>pattern</c> written for word level only. The scoring side (ML.NET transforms) reads it to tokenize exactly as
/// training did. Instances are immutable and safe to share between threads.
/// </para>
/// <para>
/// Word tokens are the matches, left to right, of <see cref="Pattern"/> (a .NET regular expression run with
/// <see cref="RegexOptions.CultureInvariant"/> and nothing else); text between matches is dropped. Lowercasing, when on,
/// happens before matching.
/// </para>
/// </remarks>
public sealed record TokenizationSettings
{
    /// <summary>
    /// The default word pattern: a run of word characters with an optional apostrophe part (<c>don't</c>, <c>o'clock</c>),
    /// or any single character that is neither a word character nor whitespace (punctuation, symbols). Whitespace is dropped.
    /// </summary>
    public const string DefaultWordPattern = @"\w+(?:'\w+)?|[^\w\s]";

    // The start of every format error message, naming the expected shape.
    private const string Expected = "Tokenization settings: expected a JSON object {\"level\":\"char\"|\"word\",\"lowercase\":true|false} with an optional \"pattern\" string for word level";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates settings.</summary>
    /// <param name="level">Character or word tokens.</param>
    /// <param name="lowercase">Whether text is lowercased with <see cref="string.ToLowerInvariant()"/> before it is tokenized.</param>
    /// <param name="pattern">
    /// Word level: the regular expression whose matches are the tokens; <see langword="null"/> for <see cref="DefaultWordPattern"/>.
    /// Character level: must be <see langword="null"/>.
    /// </param>
    /// <exception cref="ArgumentException">
    /// <paramref name="level"/> is not defined, <paramref name="pattern"/> is given for character level, is not a valid .NET
    /// regular expression, or matches the empty string (it would produce empty tokens).
    /// </exception>
    [JsonConstructor]
    public TokenizationSettings(TokenizationLevel level, bool lowercase, string? pattern = null)
    {
        if (!Enum.IsDefined(level))
            throw new ArgumentException($"{nameof(level)}: expected {nameof(TokenizationLevel.Character)} or {nameof(TokenizationLevel.Word)}, got {level}.", nameof(level));
        if (level == TokenizationLevel.Character && pattern is not null)
            throw new ArgumentException($"{nameof(pattern)}: expected none for character-level tokenization, got \"{pattern}\".", nameof(pattern));
        if (level == TokenizationLevel.Word)
        {
            pattern ??= DefaultWordPattern;
            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{nameof(pattern)}: expected a .NET regular expression, got \"{pattern}\" ({e.Message}).", nameof(pattern), e);
            }

            if (regex.IsMatch(string.Empty))
                throw new ArgumentException($"{nameof(pattern)}: expected a pattern that does not match the empty string (such a pattern yields empty tokens), got \"{pattern}\".", nameof(pattern));
        }

        Level = level;
        Lowercase = lowercase;
        Pattern = pattern;
    }

    /// <summary>Character or word tokens.</summary>
    [JsonPropertyName("level")]
    [JsonRequired]
    [JsonInclude]
    [JsonConverter(typeof(LevelConverter))]
    public TokenizationLevel Level { get; private init; }

    /// <summary>Whether text is lowercased with <see cref="string.ToLowerInvariant()"/> before it is tokenized.</summary>
    [JsonPropertyName("lowercase")]
    [JsonRequired]
    [JsonInclude]
    public bool Lowercase { get; private init; }

    /// <summary>The word pattern (word level; <see cref="DefaultWordPattern"/> unless another was given), or <see langword="null"/> at character level.</summary>
    [JsonPropertyName("pattern")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pattern { get; }

    /// <summary>The JSON form: <c>{"level":"word","lowercase":true,"pattern":"…"}</c> (no <c>pattern</c> at character level).</summary>
    /// <returns>A compact JSON object; non-ASCII letters and characters such as <c>'</c> and <c>+</c> are written as they are, not as <c>\uXXXX</c>.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads the JSON form written by <see cref="ToJson"/>.</summary>
    /// <param name="json">A JSON object with a <c>level</c> string (<c>char</c> or <c>word</c>), a <c>lowercase</c> boolean and, for word level, an optional <c>pattern</c> string.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The JSON is not an object of that shape, or its values are invalid.</exception>
    public static TokenizationSettings FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<TokenizationSettings>(json, JsonOptions)
                ?? throw new FormatException($"{Expected}, got null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{Expected}, got '{json}' ({e.Message}).", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Tokenization settings '{json}': {e.Message}", e);
        }
    }

    /// <summary>The word regex (compiled when it will be used many times), or <see langword="null"/> at character level.</summary>
    internal Regex? CreateWordRegex(bool compiled) =>
        Pattern is null ? null : new Regex(Pattern, RegexOptions.CultureInvariant | (compiled ? RegexOptions.Compiled : RegexOptions.None));

    /// <summary>Reads and writes the level as <c>"char"</c> / <c>"word"</c> only (no numbers).</summary>
    private sealed class LevelConverter() : JsonStringEnumConverter<TokenizationLevel>(namingPolicy: null, allowIntegerValues: false);
}
