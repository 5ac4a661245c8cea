using System.Text.Json.Serialization;

namespace MlNetRnn.Transforms.Generation;

/// <summary>The condition of a conditioned (one-to-many) generator package.</summary>
public sealed record GeneratorCondition
{
    /// <summary>The condition's length: the encoder input <see cref="GeneratorGraphNames.Condition"/> is float [batch, Size].</summary>
    [JsonPropertyName("size")]
    public int Size { get; init; }

    /// <summary>For a class condition, the name of each class (one-hot index = class index); <see langword="null"/> for a free float vector.</summary>
    [JsonPropertyName("classNames")]
    public IReadOnlyList<string>? ClassNames { get; init; }
}
