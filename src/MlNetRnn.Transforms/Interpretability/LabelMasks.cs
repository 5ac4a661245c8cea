using System.Numerics;

namespace MlNetRnn.Transforms.Interpretability;

/// <summary>Several yes/no properties packed as bits per position, so a pass in sorted order reads one word per position
/// instead of one array per property.</summary>
internal sealed class LabelMasks
{
    private readonly ulong[] bits;
    private readonly int words;

    internal LabelMasks(int positions, bool[][] properties)
    {
        words = Math.Max(1, (properties.Length + 63) / 64);
        bits = new ulong[positions * words];
        for (int p = 0; p < properties.Length; p++)
            for (int i = 0; i < positions; i++)
                if (properties[p][i])
                    bits[i * words + p / 64] |= 1UL << (p % 64);
    }

    /// <summary>Adds <paramref name="value"/> to <c>sums[p]</c> for every property p that holds at <paramref name="position"/>.</summary>
    internal void AddWhereTrue(int position, double value, double[] sums)
    {
        for (int w = 0; w < words; w++)
        {
            for (ulong m = bits[position * words + w]; m != 0; m &= m - 1)
                sums[w * 64 + BitOperations.TrailingZeroCount(m)] += value;
        }
    }
}
