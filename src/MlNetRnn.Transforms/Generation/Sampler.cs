namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Sampling batched across rows: one decoder step per time step for every row still generating; a row that draws EOS leaves
/// the batch. After <c>MaxLength</c> tokens one more step may still draw EOS; any other draw there cuts the sequence (the
/// token is dropped), as in MlNetRnn.Training's <c>GeneratorSearch.Sample</c>.
/// </summary>
/// <remarks>
/// Each row draws from its own <see cref="Random"/> seeded with the row's seed, one draw per generated token, so a row's
/// text depends only on its input and its seed, never on the other rows of the batch. Padding and BOS are never drawn.
/// A draw orders the tokens by log-probability (ties: lower id), keeps the top k, and walks the tempered weights with one
/// <see cref="Random.NextDouble"/>. Temperature 0 takes the most likely token (ties: lower id) and draws nothing.
/// </remarks>
internal static class Sampler
{
    /// <summary>Generates one sequence per encoded row.</summary>
    public static Hypothesis[] Run(IDecoderSteps steps, EncodedRows encoded, DecodingSettings settings, IReadOnlyList<int> seeds)
    {
        int rows = encoded.RowCount, V = steps.VocabularySize;
        var random = seeds.Select(s => new Random(s)).ToArray();
        var results = new Hypothesis[rows];
        int[] rowOf = Enumerable.Range(0, rows).ToArray();
        var tokens = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var logProbs = new double[rows];
        long[] previous = Enumerable.Repeat((long)settings.BosId, rows).ToArray();
        var states = encoded.States;
        var weights = new double[V];
        var order = new int[V];

        for (int step = 0; step <= settings.MaxLength && rowOf.Length > 0; step++)
        {
            var result = steps.Step(previous, states, encoded, rowOf, step);
            var keep = new List<int>();
            for (int i = 0; i < rowOf.Length; i++)
            {
                int row = rowOf[i];
                var lp = result.LogProbabilities.AsSpan(i * V, V);
                int token = Draw(lp, settings, random[row], weights, order);
                bool eos = token == settings.EosId;
                if (eos || step == settings.MaxLength)
                {
                    if (eos)
                        logProbs[row] += lp[token];
                    results[row] = new Hypothesis([.. tokens[row]], logProbs[row], logProbs[row], eos);
                }
                else
                {
                    logProbs[row] += lp[token];
                    tokens[row].Add(token);
                    keep.Add(i);
                    previous[i] = token;
                }
            }

            int[] gather = [.. keep];
            previous = gather.Select(i => previous[i]).ToArray();
            rowOf = gather.Select(i => rowOf[i]).ToArray();
            states = rowOf.Length == 0 ? [] : result.NextStates.Select(s => s.Gather(gather)).ToArray();
        }

        for (int r = 0; r < rows; r++)
            results[r] ??= new Hypothesis([.. tokens[r]], logProbs[r], logProbs[r], false);
        return results;
    }

    /// <summary>Draws one token: the most likely at temperature 0, else from softmax(lp / T) over the top k allowed tokens.</summary>
    internal static int Draw(ReadOnlySpan<float> lp, DecodingSettings settings, Random random, double[] weights, int[] order)
    {
        int V = lp.Length, allowed = 0;
        for (int v = 0; v < V; v++)
        {
            if (!settings.IsForbidden(v) && !float.IsNaN(lp[v]))
                order[allowed++] = v;
        }

        if (allowed == 0)
            return settings.EosId;

        var candidates = order.AsSpan(0, allowed);
        if (settings.Temperature == 0)
        {
            int best = candidates[0];
            foreach (int v in candidates)
            {
                if (lp[v] > lp[best])
                    best = v;
            }

            return best;
        }

        // Most likely first, ties by lower id: a total order, so the unstable sort is deterministic.
        float[] values = lp.ToArray();
        candidates.Sort((a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        if (settings.TopK > 0 && settings.TopK < candidates.Length)
            candidates = candidates[..settings.TopK];

        double max = double.NegativeInfinity;
        foreach (int v in candidates)
            max = Math.Max(max, lp[v]);
        double total = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            weights[i] = Math.Exp((lp[candidates[i]] - max) / settings.Temperature);
            total += weights[i];
        }

        double r = random.NextDouble() * total;
        for (int i = 0; i < candidates.Length; i++)
        {
            r -= weights[i];
            if (r < 0)
                return candidates[i];
        }

        return candidates[^1];
    }
}
