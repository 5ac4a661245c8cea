using System.Text.Json.Serialization;

namespace MlNetRnn.Transforms.Generation;

/// <summary>One recurrent state of the decoder, carried from step to step.</summary>
public sealed record GeneratorState
{
    /// <summary>The encoder's output and the decoder step's input of this state, for example <c>state_h</c>.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The decoder step's output holding the next value (by convention <c>next_</c> + <see cref="Name"/>).</summary>
    [JsonPropertyName("nextName")]
    public string NextName { get; init; } = "";

    /// <summary>The float32 tensor's shape with -1 at the batch axis, for example [layers, -1, hidden].</summary>
    [JsonPropertyName("shape")]
    public IReadOnlyList<int> Shape { get; init; } = [];
}
