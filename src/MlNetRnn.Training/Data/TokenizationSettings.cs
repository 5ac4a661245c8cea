using System.Text.Json;

namespace MlNetRnn.Training.Data;

/// <summary>How text is cut into tokens before it is looked up in a <see cref="Vocabulary"/>.</summary>
/// <param name="Level">Character or word tokens.</param>
/// <param name="Lowercase">Whether text is lowercased with <see cref="string.ToLowerInvariant()"/> before it is tokenized.</param>
/// <remarks>
/// The scoring side (ML.NET transforms) reads these settings from the ONNX metadata key <c>mlnetrnn.tokenization</c>, whose
/// value is <see cref="ToJson"/>: <c>{"level":"char"|"word","lowercase":true|false}</c>.
/// </remarks>
public sealed record TokenizationSettings(TokenizationLevel Level, bool Lowercase)
{
    /// <summary>The JSON form used in vocabulary files and in ONNX metadata: <c>{"level":"char","lowercase":false}</c>.</summary>
    /// <returns>A compact JSON object.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads the JSON form written by <see cref="ToJson"/>.</summary>
    /// <param name="json">A JSON object with a <c>level</c> string (<c>char</c> or <c>word</c>) and a <c>lowercase</c> boolean.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The JSON is not an object of that shape.</exception>
    public static TokenizationSettings FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Tokenization settings: expected a JSON object like {{\"level\":\"char\",\"lowercase\":false}}, got '{json}'.", e);
        }
    }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("level", Level == TokenizationLevel.Character ? "char" : "word");
        writer.WriteBoolean("lowercase", Lowercase);
        writer.WriteEndObject();
    }

    internal static TokenizationSettings Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("level", out var level) || level.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("lowercase", out var lowercase) || lowercase.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new FormatException($"Tokenization settings: expected an object with a \"level\" string and a \"lowercase\" boolean, got {element.GetRawText()}.");
        }

        var parsedLevel = level.GetString() switch
        {
            "char" => TokenizationLevel.Character,
            "word" => TokenizationLevel.Word,
            var other => throw new FormatException($"Tokenization settings: expected level \"char\" or \"word\", got \"{other}\"."),
        };
        return new TokenizationSettings(parsedLevel, lowercase.GetBoolean());
    }
}
