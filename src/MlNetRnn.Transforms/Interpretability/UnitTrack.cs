namespace MlNetRnn.Transforms.Interpretability;

/// <summary>The activations of a group of units (for example layer 1's hidden state) at every position of a text.</summary>
/// <param name="Name">What the group is, for tables and pictures, for example "layer 1 h" or "layer 2 c".</param>
/// <param name="Units">How many units the group has.</param>
/// <param name="Values">Row-major [position, unit]: <c>Values[p * Units + u]</c> is unit u at position p.</param>
public sealed record UnitTrack(string Name, int Units, float[] Values)
{
    /// <summary>How many positions the track covers.</summary>
    public int Positions => Units == 0 ? 0 : Values.Length / Units;

    /// <summary>Unit <paramref name="unit"/>'s activation at position <paramref name="position"/>.</summary>
    /// <param name="position">The position (character index).</param>
    /// <param name="unit">The unit index.</param>
    public float this[int position, int unit] => Values[position * Units + unit];
}
