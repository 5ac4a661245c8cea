namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// The arithmetic applied to model outputs. Both the batched scorer and the saved (stock ML.NET) form of a pipeline call
/// these same functions, so the two give the same numbers.
/// </summary>
internal static class ScoreMath
{
    /// <summary>Numerically stable softmax of <paramref name="logits"/> into <paramref name="probabilities"/> (may be the same span).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits)
            max = Math.Max(max, v);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float e = MathF.Exp(logits[i] - max);
            probabilities[i] = e;
            sum += e;
        }

        float scale = (float)(1.0 / sum);
        for (int i = 0; i < logits.Length; i++)
            probabilities[i] *= scale;
    }

    /// <summary>Index of the first largest value (NaN never wins), or -1 when the span is empty or all NaN.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = -1;
        float bestValue = float.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] > bestValue || (best < 0 && !float.IsNaN(values[i])))
            {
                best = i;
                bestValue = values[i];
            }
        }

        return best;
    }

    /// <summary>
    /// Log-probability of each actual next token: <c>dst[t] = logProbs[t, ids[t + 1]]</c> for <c>t &lt; len − 1</c>, where
    /// <paramref name="logProbs"/> holds row-major <c>[len (or more), vocab]</c> log-softmax values of one sequence.
    /// </summary>
    /// <returns>The sum (log-likelihood of tokens 1…len−1 given their prefixes); 0 when <c>len &lt; 2</c>.</returns>
    public static double NextTokenLogProbabilities(ReadOnlySpan<float> logProbs, int vocab, ReadOnlySpan<long> ids, Span<float> dst)
    {
        double sum = 0;
        for (int t = 0; t + 1 < ids.Length; t++)
        {
            float lp = logProbs[(t * vocab) + (int)ids[t + 1]];
            dst[t] = lp;
            sum += lp;
        }

        return sum;
    }

    /// <summary><c>exp(−LL / (len − 1))</c>; NaN when fewer than two tokens (nothing was predicted).</summary>
    public static float Perplexity(double logLikelihood, int length) =>
        length < 2 ? float.NaN : (float)Math.Exp(-logLikelihood / (length - 1));
}
