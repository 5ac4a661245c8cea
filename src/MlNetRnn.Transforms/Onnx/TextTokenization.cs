using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetRnn.Transforms.Onnx;

/// <summary>
/// How raw text was tokenized in training: the <c>mlnetrnn.tokenization</c> contract of the README's "ONNX model format",
/// <c>{"level":"char"|"word","lowercase":bool,"pattern":"…"}</c>. The only reader and writer of that JSON in this assembly.
/// </summary>
/// <param name="WordLevel">Words (matches of <paramref name="Pattern"/>) rather than UTF-16 characters.</param>
/// <param name="Lowercase">Lowercase with the invariant culture before tokenizing.</param>
/// <param name="Pattern">Word level: the .NET regular expression whose matches are the tokens.</param>
internal sealed record TextTokenization(bool WordLevel, bool Lowercase, string Pattern)
{
    /// <summary>The word pattern of MlNetRnn.Training's vocabularies, used when the metadata names none.</summary>
    public const string DefaultWordPattern = @"\w+(?:'\w+)?|[^\w\s]";

    private const string Expected = "{\"level\":\"char\"|\"word\",\"lowercase\":true|false,\"pattern\":\"…\" (optional)}";

    /// <summary>Writes the contract JSON.</summary>
    public string ToJson() =>
        JsonSerializer.Serialize(new Contract { Level = WordLevel ? "word" : "char", Lowercase = Lowercase, Pattern = WordLevel ? Pattern : null });

    /// <summary>Reads the contract JSON.</summary>
    /// <exception cref="FormatException">The text is not the contract's JSON object; the message quotes the text and the expected shape.</exception>
    public static TextTokenization Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Contract? contract;
        try
        {
            contract = JsonSerializer.Deserialize<Contract>(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Tokenization settings '{json}': expected {Expected} ({e.Message}).", e);
        }

        if (contract is not { Level: "char" or "word", Lowercase: { } lowercase })
            throw new FormatException($"Tokenization settings '{json}': expected {Expected}.");
        return new TextTokenization(contract.Level == "word", lowercase, contract.Pattern ?? DefaultWordPattern);
    }

    private sealed class Contract
    {
        [JsonPropertyName("level")]
        public string? Level { get; set; }

        [JsonPropertyName("lowercase")]
        public bool? Lowercase { get; set; }

        [JsonPropertyName("pattern")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Pattern { get; set; }
    }
}
