namespace MlNetRnn.Transforms.Saving;

/// <summary>No input columns.</summary>
internal sealed class NoColumns
{
}
