using System.Text.Json.Serialization;

namespace MlNetRnn.Transforms.Generation;

/// <summary>The source side of a sequence-to-sequence generator package.</summary>
public sealed record GeneratorSource
{
    /// <summary>Token of each source id (index = id).</summary>
    [JsonPropertyName("tokens")]
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>The padding id; padded positions never change a result.</summary>
    [JsonPropertyName("padId")]
    public int PadId { get; init; }

    /// <summary>The id that stands for a token outside <see cref="Tokens"/>.</summary>
    [JsonPropertyName("unknownId")]
    public int UnknownId { get; init; }

    /// <summary>How raw source text is tokenized: the <c>mlnetrnn.tokenization</c> JSON of the README's ONNX model format.</summary>
    [JsonPropertyName("tokenization")]
    public string Tokenization { get; init; } = "";

    /// <summary>The longest source sequence seen in training.</summary>
    [JsonPropertyName("maxLength")]
    public int MaxLength { get; init; }
}
