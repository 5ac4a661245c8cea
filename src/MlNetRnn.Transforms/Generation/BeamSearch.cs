namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Beam search batched across rows: every step runs the decoder once for all live hypotheses of all rows.
/// </summary>
/// <remarks>
/// Each row starts with one hypothesis (BOS) and <c>BeamSize</c> open slots. At every step the row's candidates (every live
/// hypothesis extended by every token except padding and BOS) are ranked by summed log-probability (ties: earlier
/// hypothesis, then lower token id) and the best ones fill the row's open slots. A candidate ending in EOS is finished: it
/// closes its slot and leaves the step batch, so the batch shrinks as hypotheses finish and a row leaves when all its slots
/// are closed. After <c>MaxLength</c> tokens one more step may still choose EOS; a hypothesis whose chosen extension there is
/// not EOS is returned cut (without that token, not ended by EOS). Finished hypotheses are ranked by
/// log-probability / length^alpha (length = tokens + EOS). These are the rules of MlNetRnn.Training's
/// <c>GeneratorSearch</c>, so both decode the same sequences. A row's result depends only on that row: rows never compete,
/// and a state is gathered only from the row's own hypotheses. Beam size 1 is greedy decoding.
/// </remarks>
internal static class BeamSearch
{
    /// <summary>Decodes every encoded row; returns each row's <c>NBest</c> hypotheses, best first.</summary>
    public static Hypothesis[][] Run(IDecoderSteps steps, EncodedRows encoded, DecodingSettings settings)
    {
        int rows = encoded.RowCount, V = steps.VocabularySize;
        var finished = new List<Hypothesis>[rows];
        var open = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            finished[r] = [];
            open[r] = settings.BeamSize;
        }

        // Live hypotheses, grouped by row in ascending row order.
        int[] rowOf = Enumerable.Range(0, rows).ToArray();
        int[][] tokens = Enumerable.Range(0, rows).Select(_ => Array.Empty<int>()).ToArray();
        double[] logProbs = new double[rows];
        long[] previous = Enumerable.Repeat((long)settings.BosId, rows).ToArray();
        var states = encoded.States;
        var best = new List<(double Score, int Hypothesis, int Token)>(settings.BeamSize);

        var cut = new HashSet<int>();
        for (int step = 0; step <= settings.MaxLength && rowOf.Length > 0; step++)
        {
            var result = steps.Step(previous, states, encoded, rowOf, step);
            float[] lp = result.LogProbabilities;
            bool last = step == settings.MaxLength;
            cut.Clear();
            var nextRowOf = new List<int>();
            var nextTokens = new List<int[]>();
            var nextLogProbs = new List<double>();
            var nextPrevious = new List<long>();
            var parents = new List<int>();
            for (int start = 0; start < rowOf.Length;)
            {
                int row = rowOf[start], end = start;
                while (end < rowOf.Length && rowOf[end] == row)
                    end++;
                SelectBest(lp, V, logProbs, start, end, open[row], settings, best);
                foreach (var (score, h, token) in best)
                {
                    if (token == settings.EosId)
                    {
                        finished[row].Add(Finish(tokens[h], score, eos: true, settings));
                        open[row]--;
                    }
                    else if (last)
                    {
                        if (cut.Add(h))
                            finished[row].Add(Finish(tokens[h], logProbs[h], eos: false, settings));
                    }
                    else
                    {
                        nextRowOf.Add(row);
                        nextTokens.Add([.. tokens[h], token]);
                        nextLogProbs.Add(score);
                        nextPrevious.Add(token);
                        parents.Add(h);
                    }
                }

                start = end;
            }

            rowOf = [.. nextRowOf];
            tokens = [.. nextTokens];
            logProbs = [.. nextLogProbs];
            previous = [.. nextPrevious];
            int[] gather = [.. parents];
            states = rowOf.Length == 0 ? [] : result.NextStates.Select(s => s.Gather(gather)).ToArray();
        }

        var results = new Hypothesis[rows][];
        for (int r = 0; r < rows; r++)
        {
            // Stable: equal scores keep the order they finished in.
            results[r] = [.. finished[r].OrderByDescending(h => h.Score).Take(settings.NBest)];
        }

        return results;
    }

    private static Hypothesis Finish(int[] tokens, double logProbability, bool eos, DecodingSettings settings)
    {
        int length = tokens.Length + (eos ? 1 : 0);
        return new Hypothesis(tokens, logProbability, logProbability / settings.Penalty(length), eos);
    }

    /// <summary>The <paramref name="count"/> best extensions of hypotheses [start, end), best first, into <paramref name="best"/>.</summary>
    private static void SelectBest(float[] lp, int V, double[] logProbs, int start, int end, int count, DecodingSettings settings, List<(double Score, int Hypothesis, int Token)> best)
    {
        best.Clear();
        for (int h = start; h < end; h++)
        {
            int offset = h * V;
            for (int v = 0; v < V; v++)
            {
                if (settings.IsForbidden(v))
                    continue;
                double score = logProbs[h] + lp[offset + v];
                if (double.IsNaN(score))
                    continue;

                // Strictly better than the current last, so earlier (hypothesis, token) pairs win ties.
                if (best.Count == count && !(score > best[^1].Score))
                    continue;
                int at = best.Count;
                while (at > 0 && score > best[at - 1].Score)
                    at--;
                best.Insert(at, (score, h, v));
                if (best.Count > count)
                    best.RemoveAt(best.Count - 1);
            }
        }
    }
}
