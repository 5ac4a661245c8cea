using System.Text.Json.Serialization;

namespace MlNetRnn.Transforms.Generation;

/// <summary>The generated side of a generator package.</summary>
public sealed record GeneratorTarget
{
    /// <summary>Token of each target id (index = id).</summary>
    [JsonPropertyName("tokens")]
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>The id fed as previous token at the first step.</summary>
    [JsonPropertyName("bosId")]
    public int BosId { get; init; }

    /// <summary>The id that ends a generated sequence (not part of the output).</summary>
    [JsonPropertyName("eosId")]
    public int EosId { get; init; }

    /// <summary>The padding id of target sequences in training; never generated.</summary>
    [JsonPropertyName("padId")]
    public int PadId { get; init; }

    /// <summary>The text placed between generated tokens: <c>""</c> for characters, <c>" "</c> for phonemes or words.</summary>
    [JsonPropertyName("joiner")]
    public string Joiner { get; init; } = "";
}
