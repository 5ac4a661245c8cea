using MlNetRnn.Transforms.Generation;

namespace MlNetRnn.Transforms.Tests.Generation;

/// <summary>
/// A deterministic decoder: the log-probabilities are a pseudo-random function of the row's source and the tokens generated
/// so far, both carried in the state (shape [2, batch, 3], batch on axis 1, the second layer the negated first, so a wrong
/// gather shows up). EOS grows likelier with every step, so sequences end.
/// </summary>
internal sealed class FakeDecoderSteps(int vocabularySize = 7, double eosGrowth = 0.6) : IDecoderSteps
{
    public const int Pad = 0, Bos = 1, Eos = 2;

    public int VocabularySize => vocabularySize;

    /// <summary>The step batch size of every call, in order.</summary>
    public List<int> BatchSizes { get; } = [];

    public static DecodingSettings Settings(int beam = 1, int maxLength = 12, double alpha = 0, int nBest = 1, double temperature = 1, int topK = 0) =>
        new(beam, maxLength, alpha, nBest, Bos, Eos, Pad, temperature, topK);

    public EncodedRows EncodeSources(IReadOnlyList<long[]> sources) =>
        Encode(sources.Select(s => s.Aggregate(17L, (h, id) => ((h * 31) + id) % 10007)).ToArray());

    public EncodedRows EncodeConditions(IReadOnlyList<float[]> conditions) =>
        Encode(conditions.Select(c => c.Aggregate(19L, (h, x) => ((h * 37) + (long)(x * 8)) % 10007)).ToArray());

    public StepResult Step(long[] previousTokens, IReadOnlyList<BatchTensor<float>> states, EncodedRows encoded, int[] rowOfHypothesis, int step)
    {
        BatchSizes.Add(previousTokens.Length);
        var state = states[0];
        int n = previousTokens.Length, V = vocabularySize;
        if (state.BatchSize != n || rowOfHypothesis.Length != n)
            throw new InvalidOperationException($"Batch {n}, state batch {state.BatchSize}, rows {rowOfHypothesis.Length}.");
        var next = new float[state.Data.Length];
        var logProbs = new float[n * V];
        for (int i = 0; i < n; i++)
        {
            float source = state.Data[i * 3], history = state.Data[(i * 3) + 1], count = state.Data[(i * 3) + 2];
            if (state.Data[(n * 3) + (i * 3)] != -source)
                throw new InvalidOperationException("The state's layers were gathered inconsistently.");
            long newHistory = (((long)history * 13) + previousTokens[i] + 1) % 10007;
            var row = new Span<float>(logProbs, i * V, V);
            LogProbabilities((long)source, newHistory, (int)count, row);
            float[] values = [source, newHistory, count + 1];
            values.CopyTo(next, i * 3);
            for (int k = 0; k < 3; k++)
                next[(n * 3) + (i * 3) + k] = -values[k];
        }

        return new StepResult(logProbs, [new BatchTensor<float>(next, [2, n, 3], 1)]);
    }

    /// <summary>Greedy decoding of one row without any batching, as the reference for beam size 1 (EOS may still follow the last token).</summary>
    public int[] Greedy(long source, int maxLength)
    {
        var tokens = new List<int>();
        long history = 0, previous = Bos;
        var lp = new float[vocabularySize];
        for (int step = 0; step <= maxLength; step++)
        {
            history = ((history * 13) + previous + 1) % 10007;
            LogProbabilities(source, history, step, lp);
            int best = -1;
            for (int v = 0; v < lp.Length; v++)
            {
                if (v != Pad && v != Bos && (best < 0 || lp[v] > lp[best]))
                    best = v;
            }

            if (best == Eos || step == maxLength)
                break;
            tokens.Add(best);
            previous = best;
        }

        return [.. tokens];
    }

    public static long SourceKey(long[] source) => source.Aggregate(17L, (h, id) => ((h * 31) + id) % 10007);

    private void LogProbabilities(long source, long history, int count, Span<float> row)
    {
        var random = new Random((int)((source * 10009) + history));
        double total = 0;
        Span<double> weights = stackalloc double[row.Length];
        for (int v = 0; v < row.Length; v++)
        {
            weights[v] = v == Eos ? 0.2 + (eosGrowth * count) : 0.1 + random.NextDouble();
            total += weights[v];
        }

        for (int v = 0; v < row.Length; v++)
            row[v] = (float)Math.Log(weights[v] / total);
    }

    private static EncodedRows Encode(long[] keys)
    {
        int n = keys.Length;
        var data = new float[2 * n * 3];
        for (int i = 0; i < n; i++)
        {
            data[i * 3] = keys[i];
            data[(n * 3) + (i * 3)] = -keys[i];
        }

        return new EncodedRows(n, [new BatchTensor<float>(data, [2, n, 3], 1)]);
    }
}
