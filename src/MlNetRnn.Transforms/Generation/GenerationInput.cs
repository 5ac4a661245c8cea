namespace MlNetRnn.Transforms.Generation;

/// <summary>One row to generate from: source ids (sequence-to-sequence) or a condition and a seed; null input = nothing to decode.</summary>
internal readonly record struct GenerationInput(long[]? SourceIds, float[]? Condition, int Seed)
{
    public bool IsEmpty => SourceIds is null or { Length: 0 } && Condition is null;
}
