namespace MlNetRnn.Transforms.Interpretability;

/// <summary>
/// Ranks every unit of every track by how well it tracks each per-character property of a text: ROC AUC for binary
/// properties, Pearson correlation for numeric ones (Karpathy, Johnson &amp; Fei-Fei 2015 looked for such units by eye).
/// </summary>
/// <remarks>
/// <para>Score units on held-out text: on training text a unit can look like it tracks a property it merely memorised.</para>
/// <para>The AUC is exact and rank based (the Mann–Whitney U statistic over average ranks, so ties count one half);
/// each unit's activations are sorted once, so the cost is O(units · n log n) for n positions. Units are scored in
/// parallel; the result does not depend on the number of threads. A unit that is constant over the text scores AUC 0.5
/// and r = 0. <see cref="Run"/> keeps no state: concurrent calls are safe if the properties' functions are.</para>
/// </remarks>
public static class UnitSearch
{
    /// <summary>Scores every unit of every track against every property and keeps the best units per property.</summary>
    /// <param name="text">The text the activations were computed on; position p of every track is character p.</param>
    /// <param name="tracks">The unit groups (for example each layer's hidden and cell state); names must differ.</param>
    /// <param name="properties">The properties to look for, for example <see cref="CharProperty.Prose"/>.</param>
    /// <param name="top">How many units to keep per property.</param>
    /// <returns>The best <paramref name="top"/> units per property, over all tracks.</returns>
    /// <exception cref="ArgumentNullException">An argument, a track or a property is null.</exception>
    /// <exception cref="ArgumentException">No tracks or no properties; a track has no units, a repeated name, a number of
    /// values that is not one per (position, unit), or a value that is not finite; a property is constant over the text.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">A property's function returned the wrong number of values or a value that is not finite.</exception>
    public static UnitSearchResult Run(string text, IReadOnlyList<UnitTrack> tracks, IReadOnlyList<CharProperty> properties, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (tracks.Count == 0)
            throw new ArgumentException("Expected at least one unit track; received none.", nameof(tracks));
        if (properties.Count == 0)
            throw new ArgumentException("Expected at least one property; received none.", nameof(properties));
        ValidateTracks(text, tracks);

        int n = text.Length;
        var binary = new List<(int Index, bool[] Labels, long Positives)>();
        var numeric = new List<(int Index, double[] Centered, double SumOfSquares)>();
        for (int p = 0; p < properties.Count; p++)
        {
            var property = properties[p] ?? throw new ArgumentNullException(nameof(properties), $"Property {p} is null.");
            double[] values = property.Evaluate(text);
            if (values.Length == 0 || values.All(v => v == values[0]))
                throw new ArgumentException($"Property '{property.Name}' is {(values.Length == 0 ? "undefined on an empty text" : $"{values[0]} at all {n} positions")}; a constant property cannot rank units. Use a text where it varies.", nameof(properties));
            if (property.Kind == CharPropertyKind.Binary)
            {
                bool[] holds = Array.ConvertAll(values, v => v != 0);
                binary.Add((p, holds, holds.LongCount(h => h)));
            }
            else
            {
                double mean = values.Average();
                double[] centered = Array.ConvertAll(values, v => v - mean);
                numeric.Add((p, centered, centered.Sum(c => c * c)));
            }
        }

        int totalUnits = tracks.Sum(t => t.Units);
        var metrics = new double[properties.Count][];
        for (int p = 0; p < metrics.Length; p++)
            metrics[p] = new double[totalUnits];
        var owners = new (int Track, int Unit)[totalUnits];
        var chunks = new List<(int Track, int FirstUnit, int Count, int FirstFlat)>();
        for (int t = 0, flat = 0; t < tracks.Count; t++)
        {
            for (int u = 0; u < tracks[t].Units; u++)
                owners[flat + u] = (t, u);
            for (int u = 0; u < tracks[t].Units; u += ChunkUnits)
                chunks.Add((t, u, Math.Min(ChunkUnits, tracks[t].Units - u), flat + u));
            flat += tracks[t].Units;
        }
        var labels = new LabelMasks(n, binary.Select(b => b.Labels).ToArray());

        // Chunks of neighbouring units: one pass over the rows copies a chunk's columns out cache-friendly.
        Parallel.For(0, chunks.Count, () => (Columns: new float[ChunkUnits][], Sorted: new ulong[n], RankSums: new double[binary.Count]), (c, _, buffers) =>
        {
            var (t, firstUnit, count, firstFlat) = chunks[c];
            var track = tracks[t];
            for (int j = 0; j < count; j++)
                buffers.Columns[j] ??= new float[n];
            for (int i = 0; i < n; i++)
            {
                int row = i * track.Units + firstUnit;
                for (int j = 0; j < count; j++)
                    buffers.Columns[j][i] = track.Values[row + j];
            }
            for (int j = 0; j < count; j++)
            {
                float[] column = buffers.Columns[j];
                foreach (var (index, centered, sumOfSquares) in numeric)
                    metrics[index][firstFlat + j] = Pearson(column, centered, sumOfSquares);
                if (binary.Count == 0)
                    continue;
                RankSums(column, buffers.Sorted, labels, buffers.RankSums);
                for (int b = 0; b < binary.Count; b++)
                    metrics[binary[b].Index][firstFlat + j] = AucFromRankSum(buffers.RankSums[b], binary[b].Positives, n);
            }
            return buffers;
        }, _ => { });

        var rankings = properties.Select((property, p) => new PropertyRanking(property, Enumerable.Range(0, totalUnits)
            .Select(flat => Score(tracks[owners[flat].Track].Name, owners[flat].Unit, metrics[p][flat], property.Kind))
            .OrderByDescending(s => s.Score) // stable: ties stay in track, then unit order
            .Take(top)
            .ToArray()));
        return new UnitSearchResult(n, rankings.ToArray());
    }

    private static UnitScore Score(string track, int unit, double metric, CharPropertyKind kind) => kind == CharPropertyKind.Binary
        ? new UnitScore(track, unit, metric, Math.Max(metric, 1 - metric), metric >= 0.5 ? UnitDirection.Higher : UnitDirection.Lower)
        : new UnitScore(track, unit, metric, Math.Abs(metric), metric >= 0 ? UnitDirection.Higher : UnitDirection.Lower);

    private const int ChunkUnits = 16;

    /// <summary>Exact ROC AUC of <paramref name="scores"/> as a detector of <paramref name="labels"/>, ties counting one half.</summary>
    internal static double Auc(float[] scores, bool[] labels)
    {
        var sums = new double[1];
        RankSums(scores, new ulong[scores.Length], new LabelMasks(scores.Length, [labels]), sums);
        return AucFromRankSum(sums[0], labels.LongCount(l => l), labels.Length);
    }

    // Mann–Whitney: U = R₊ − n₊(n₊ + 1)/2 counts the (positive, negative) pairs the positive wins, ties counting one half.
    private static double AucFromRankSum(double rankSum, double positives, double n) =>
        (rankSum - positives * (positives + 1) / 2) / (positives * (n - positives));

    /// <summary>Pearson's r between <paramref name="x"/> and a property given centred, with its sum of squares; 0 when x is constant.</summary>
    internal static double Pearson(float[] x, double[] centered, double sumOfSquares)
    {
        double mean = 0;
        for (int i = 0; i < centered.Length; i++)
            mean += x[i];
        mean /= centered.Length;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < centered.Length; i++)
        {
            double dx = x[i] - mean;
            sxx += dx * dx;
            sxy += dx * centered[i];
        }
        return sxx == 0 ? 0 : Math.Clamp(sxy / Math.Sqrt(sxx * sumOfSquares), -1, 1);
    }

    // Sorts the values once and adds each position's average 1-based rank to the sum of every binary property holding there.
    // Each value becomes one ulong, order-preserving float bits above the position, so one primitive sort does it all.
    private static void RankSums(float[] values, ulong[] sorted, LabelMasks labels, double[] sums)
    {
        for (int i = 0; i < values.Length; i++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(values[i] + 0f); // -0 + 0 = +0: equal values, equal keys
            uint key = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
            sorted[i] = (ulong)key << 32 | (uint)i;
        }
        Array.Sort(sorted);
        Array.Clear(sums);
        for (int start = 0; start < sorted.Length;)
        {
            int end = start + 1;
            while (end < sorted.Length && sorted[end] >> 32 == sorted[start] >> 32)
                end++;
            double rank = (start + 1 + end) / 2.0; // the average of ranks start+1 … end
            for (int k = start; k < end; k++)
                labels.AddWhereTrue((int)(uint)sorted[k], rank, sums);
            start = end;
        }
    }

    private static void ValidateTracks(string text, IReadOnlyList<UnitTrack> tracks)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int t = 0; t < tracks.Count; t++)
        {
            var track = tracks[t] ?? throw new ArgumentNullException(nameof(tracks), $"Track {t} is null.");
            if (string.IsNullOrWhiteSpace(track.Name))
                throw new ArgumentException($"Track {t} has no name; expected one for the tables, such as \"layer 1 h\".", nameof(tracks));
            if (track.Values is null)
                throw new ArgumentNullException(nameof(tracks), $"Track '{track.Name}' has no values array.");
            if (track.Units <= 0)
                throw new ArgumentException($"Track '{track.Name}' has {track.Units} units; expected at least 1.", nameof(tracks));
            if (!names.Add(track.Name))
                throw new ArgumentException($"Two tracks are named '{track.Name}'; names must differ so the tables can tell them apart.", nameof(tracks));
            if (track.Values.LongLength != (long)text.Length * track.Units)
                throw new ArgumentException($"Track '{track.Name}' has {track.Values.Length} values; expected {text.Length} positions × {track.Units} units = {(long)text.Length * track.Units}, one per character of the text.", nameof(tracks));
            int bad = Array.FindIndex(track.Values, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new ArgumentException($"Track '{track.Name}', position {bad / track.Units}, unit {bad % track.Units}: {track.Values[bad]}; expected a finite activation.", nameof(tracks));
        }
    }
}
