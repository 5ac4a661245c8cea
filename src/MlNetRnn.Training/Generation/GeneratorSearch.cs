using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// Reference decoding in TorchSharp: greedy, beam search and (for the conditioned model) sampling. The ONNX generator
/// package decodes with the same rules.
/// </summary>
/// <remarks>
/// <para>
/// Rules shared by every method: the first previous token is <see cref="TargetVocabulary.BosId"/>; <see cref="TargetVocabulary.PadId"/>
/// and <see cref="TargetVocabulary.BosId"/> are never generated; a sequence ends when <see cref="TargetVocabulary.EosId"/> is
/// chosen. At most <c>maxLength</c> tokens are generated (EOS not counted): after <c>maxLength</c> tokens one more step can
/// still choose EOS; otherwise the sequence is returned cut, with <see cref="GeneratedSequence.Finished"/> false.
/// </para>
/// <para>
/// Beam search keeps the <c>beamSize</c> expansions with the highest log-probability at each step; an expansion that ends
/// with EOS is finished and leaves the beam, which then shrinks by one, until no hypothesis is left. The finished (and cut)
/// hypotheses are ranked by <see cref="GeneratedSequence.Score"/> = log-probability / length^α (α = <c>lengthNormalization</c>,
/// length counting EOS). With <c>beamSize</c> 1 this is exactly greedy decoding.
/// </para>
/// <para>The model is run in evaluation mode without gradients; its mode is restored afterwards. Not thread-safe per model.</para>
/// </remarks>
public static class GeneratorSearch
{
    /// <summary>Greedy decoding of sources, in batches of up to 256 rows.</summary>
    /// <param name="model">The model.</param>
    /// <param name="sources">Source id sequences (empty allowed: read as one padding token).</param>
    /// <param name="maxLength">The most tokens to generate per row (EOS not counted), ≥ 1.</param>
    /// <returns>One sequence per source, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are no sources or an id is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    public static IReadOnlyList<GeneratedSequence> Greedy(EncoderDecoderModel model, IReadOnlyList<int[]> sources, int maxLength)
    {
        CheckSources(model, sources, maxLength);
        return Run(model, () => InBatches(sources, rows => Decode(model.Decoder, StartOf(model, rows), rows.Count, maxLength, SearchMode.Greedy())));
    }

    /// <summary>Greedy decoding of conditions, in batches of up to 256 rows.</summary>
    /// <param name="model">The model.</param>
    /// <param name="conditions">Condition vectors of <see cref="ConditionedGeneratorConfig.ConditionSize"/> values.</param>
    /// <param name="maxLength">The most tokens to generate per row (EOS not counted), ≥ 1.</param>
    /// <returns>One sequence per condition, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are no conditions or one has the wrong size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    public static IReadOnlyList<GeneratedSequence> Greedy(ConditionedGeneratorModel model, IReadOnlyList<float[]> conditions, int maxLength)
    {
        CheckConditions(model, conditions, maxLength);
        return Run(model, () => InBatches(conditions, rows => Decode(model.Decoder, StartOf(model, rows), rows.Count, maxLength, SearchMode.Greedy())));
    }

    /// <summary>Beam search for one source.</summary>
    /// <param name="model">The model.</param>
    /// <param name="source">Source ids (empty allowed).</param>
    /// <param name="beamSize">Hypotheses kept per step, ≥ 1.</param>
    /// <param name="maxLength">The most tokens to generate (EOS not counted), ≥ 1.</param>
    /// <param name="lengthNormalization">α ≥ 0 of the ranking score log-probability / length^α; 0 ranks by log-probability.</param>
    /// <returns>Up to <paramref name="beamSize"/> hypotheses, best score first.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An id is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beamSize"/> or <paramref name="maxLength"/> is below 1, or <paramref name="lengthNormalization"/> is negative or not finite.</exception>
    public static IReadOnlyList<GeneratedSequence> BeamSearch(EncoderDecoderModel model, int[] source, int beamSize, int maxLength, double lengthNormalization = 0.0)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckSources(model, [source], maxLength);
        CheckBeam(beamSize, lengthNormalization);
        return Run(model, () => Decode(model.Decoder, StartOf(model, [source]), 1, maxLength, SearchMode.Beam(beamSize, lengthNormalization)));
    }

    /// <summary>Beam search for one condition.</summary>
    /// <param name="model">The model.</param>
    /// <param name="condition">The condition vector.</param>
    /// <param name="beamSize">Hypotheses kept per step, ≥ 1.</param>
    /// <param name="maxLength">The most tokens to generate (EOS not counted), ≥ 1.</param>
    /// <param name="lengthNormalization">α ≥ 0 of the ranking score log-probability / length^α; 0 ranks by log-probability.</param>
    /// <returns>Up to <paramref name="beamSize"/> hypotheses, best score first.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The condition has the wrong size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beamSize"/> or <paramref name="maxLength"/> is below 1, or <paramref name="lengthNormalization"/> is negative or not finite.</exception>
    public static IReadOnlyList<GeneratedSequence> BeamSearch(ConditionedGeneratorModel model, float[] condition, int beamSize, int maxLength, double lengthNormalization = 0.0)
    {
        ArgumentNullException.ThrowIfNull(condition);
        CheckConditions(model, [condition], maxLength);
        CheckBeam(beamSize, lengthNormalization);
        return Run(model, () => Decode(model.Decoder, StartOf(model, [condition]), 1, maxLength, SearchMode.Beam(beamSize, lengthNormalization)));
    }

    /// <summary>Samples one sequence for a condition.</summary>
    /// <param name="model">The model.</param>
    /// <param name="condition">The condition vector.</param>
    /// <param name="maxLength">The most tokens to generate (EOS not counted), ≥ 1.</param>
    /// <param name="temperature">Divides the log-probabilities before sampling; 0 always takes the most likely token (greedy).</param>
    /// <param name="topK">Sample among the <paramref name="topK"/> most likely tokens only; 0 for all.</param>
    /// <param name="seed">Seeds the <see cref="Random"/> that draws the tokens: the same seed gives the same sequence.</param>
    /// <returns>The sequence; its log-probability is under the model (untempered).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The condition has the wrong size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    public static GeneratedSequence Sample(ConditionedGeneratorModel model, float[] condition, int maxLength, double temperature = 1.0, int topK = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(condition);
        CheckConditions(model, [condition], maxLength);
        if (!double.IsFinite(temperature) || temperature < 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Expected a finite temperature ≥ 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(topK);
        return Run(model, () => Decode(model.Decoder, StartOf(model, [condition]), 1, maxLength, SearchMode.Sampling(temperature, topK, seed)))[0];
    }

    /// <summary>Greedy decoding runs on batches of this many rows (each in its own dispose scope).</summary>
    private const int GreedyBatchSize = 256;

    private static List<GeneratedSequence> InBatches<T>(IReadOnlyList<T> rows, Func<IReadOnlyList<T>, IReadOnlyList<GeneratedSequence>> decode)
    {
        var result = new List<GeneratedSequence>(rows.Count);
        for (int first = 0; first < rows.Count; first += GreedyBatchSize)
        {
            using var scope = NewDisposeScope();
            result.AddRange(decode(rows.Skip(first).Take(GreedyBatchSize).ToArray()));
        }

        return result;
    }

    private static DecoderStart StartOf(EncoderDecoderModel model, IReadOnlyList<int[]> sources)
    {
        var (ids, lengths) = GeneratorBatches.Sources(sources, model.Config.SourcePadId, DeviceOf(model));
        return model.Start(ids, lengths).Start;
    }

    private static DecoderStart StartOf(ConditionedGeneratorModel model, IReadOnlyList<float[]> conditions) =>
        model.Start(GeneratorBatches.Conditions(conditions, DeviceOf(model)));

    internal static Device DeviceOf(Module model) => model.parameters().First().device;

    /// <summary>Runs <paramref name="decode"/> in evaluation mode without gradients, in one dispose scope.</summary>
    internal static T Run<T>(Module model, Func<T> decode)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            return decode();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Decodes <paramref name="rows"/> rows. Greedy and sampling keep one hypothesis per row; beam search (one row) keeps up to
    /// the beam size. Each step runs the decoder once on every live hypothesis.
    /// </summary>
    private static IReadOnlyList<GeneratedSequence> Decode(GenerationDecoder decoder, DecoderStart start, int rows, int maxLength, SearchMode mode)
    {
        var device = start.State.H.device;
        int V = decoder.VocabSize;
        // Live hypotheses: the row they belong to, tokens so far, log-probability so far.
        var live = Enumerable.Range(0, rows).Select(r => new Hypothesis(r, [], 0.0)).ToList();
        var done = new List<GeneratedSequence>[rows];
        for (int r = 0; r < rows; r++)
            done[r] = [];
        var current = start;
        for (int step = 0; step <= maxLength && live.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            var previous = tensor(live.Select(h => h.Tokens.Count == 0 ? (long)TargetVocabulary.BosId : h.Tokens[^1]).ToArray(), [1, live.Count]).to(device);
            var (logits, next) = decoder.Forward(previous, current.State, current.Memory, step == 0 ? current.FirstStepCondition : null);
            float[] logProbs = logits[0].log_softmax(-1).cpu().data<float>().ToArray();              // (live, V)

            var expansions = mode.Choose(live, logProbs, V);                                            // (parent, token) pairs
            var survivors = new List<Hypothesis>();
            var parents = new List<long>();
            var cut = new HashSet<int>();
            foreach (var (parent, token) in expansions)
            {
                var h = live[parent];
                double logProbability = h.LogProbability + logProbs[parent * V + token];
                if (token == TargetVocabulary.EosId)
                    done[h.Row].Add(mode.Finish(h.Tokens, logProbability, finished: true));
                else if (step == maxLength)
                {
                    if (cut.Add(parent))                                                                // cut at the maximum length, once per hypothesis
                        done[h.Row].Add(mode.Finish(h.Tokens, h.LogProbability, finished: false));
                }
                else
                {
                    survivors.Add(new Hypothesis(h.Row, [.. h.Tokens, token], logProbability));
                    parents.Add(parent);
                }
            }

            bool sameRows = parents.Count == live.Count && parents.Select((p, i) => p == i).All(same => same);
            live = survivors;
            if (live.Count > 0)
            {
                // Carry the chosen hypotheses' states (and, when rows left, their memory) out of this step's scope; free the last step's.
                var index = tensor(parents.ToArray()).to(device);
                var state = next.Select(index);
                var memory = sameRows ? current.Memory : current.Memory?.Select(index);
                var last = current;
                current = new DecoderStart(
                    new DecoderState(state.H.MoveToOuterDisposeScope(), state.C?.MoveToOuterDisposeScope()),
                    sameRows || memory is null ? memory : new DecoderMemory(memory.Outputs.MoveToOuterDisposeScope(), memory.Keys.MoveToOuterDisposeScope(), memory.Valid.MoveToOuterDisposeScope()),
                    null);
                if (!ReferenceEquals(last, start))
                {
                    last.State.H.Dispose();
                    last.State.C?.Dispose();
                    if (!sameRows && last.Memory is { } old && !ReferenceEquals(old, start.Memory))
                    {
                        old.Outputs.Dispose();
                        old.Keys.Dispose();
                        old.Valid.Dispose();
                    }
                }
            }
        }

        return mode.Collect(done);
    }

    private static void CheckSources(EncoderDecoderModel model, IReadOnlyList<int[]> sources, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
            throw new ArgumentException("sources: expected at least one source, got none.", nameof(sources));
        for (int i = 0; i < sources.Count; i++)
            ArgumentNullException.ThrowIfNull(sources[i], $"sources[{i}]");
        GeneratorChecks.IdsInRange(sources, model.Config.SourceVocabSize, nameof(sources));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
    }

    private static void CheckConditions(ConditionedGeneratorModel model, IReadOnlyList<float[]> conditions, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.Count == 0)
            throw new ArgumentException("conditions: expected at least one condition, got none.", nameof(conditions));
        GeneratorChecks.Conditions(conditions, model.Config.ConditionSize, nameof(conditions));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
    }

    private static void CheckBeam(int beamSize, double lengthNormalization)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(beamSize, 1);
        if (!double.IsFinite(lengthNormalization) || lengthNormalization < 0)
            throw new ArgumentOutOfRangeException(nameof(lengthNormalization), lengthNormalization, "Expected a finite α ≥ 0.");
    }

    private sealed record Hypothesis(int Row, List<int> Tokens, double LogProbability);

    /// <summary>How the next tokens are chosen and how finished sequences are ranked.</summary>
    private sealed class SearchMode
    {
        private readonly int beamSize;
        private readonly double alpha;
        private readonly double temperature;
        private readonly int topK;
        private readonly Random? random;

        private SearchMode(int beamSize, double alpha, double temperature, int topK, Random? random)
        {
            this.beamSize = beamSize;
            this.alpha = alpha;
            this.temperature = temperature;
            this.topK = topK;
            this.random = random;
        }

        public static SearchMode Greedy() => new(0, 0, 0, 0, null);

        public static SearchMode Beam(int beamSize, double alpha) => new(beamSize, alpha, 0, 0, null);

        public static SearchMode Sampling(double temperature, int topK, int seed) => new(0, 0, temperature, topK, new Random(seed));

        /// <summary>The expansions to keep: (index into live, token).</summary>
        public List<(int Parent, int Token)> Choose(List<Hypothesis> live, float[] logProbs, int V)
        {
            var chosen = new List<(int, int)>();
            if (beamSize == 0)
            {
                for (int i = 0; i < live.Count; i++)
                    chosen.Add((i, random is null || temperature == 0 ? ArgMax(logProbs.AsSpan(i * V, V)) : Draw(logProbs.AsSpan(i * V, V))));
                return chosen;
            }

            // Beam (one row): the best (slots) expansions by total log-probability; ties go to the earlier hypothesis and smaller id.
            int slots = beamSize - FinishedSoFar;
            var candidates = new List<(double Total, int Parent, int Token)>(live.Count * V);
            for (int i = 0; i < live.Count; i++)
                for (int v = 0; v < V; v++)
                    if (Generable(v))
                        candidates.Add((live[i].LogProbability + logProbs[i * V + v], i, v));
            foreach (var c in candidates.OrderByDescending(c => c.Total).ThenBy(c => c.Parent).ThenBy(c => c.Token).Take(slots))
            {
                chosen.Add((c.Parent, c.Token));
                if (c.Token == TargetVocabulary.EosId)
                    FinishedSoFar++;
            }

            return chosen;
        }

        private int FinishedSoFar { get; set; }

        public GeneratedSequence Finish(List<int> tokens, double logProbability, bool finished)
        {
            int length = tokens.Count + (finished ? 1 : 0);
            double score = alpha == 0 || length == 0 ? logProbability : logProbability / Math.Pow(length, alpha);
            return new GeneratedSequence([.. tokens], logProbability, score, finished);
        }

        public IReadOnlyList<GeneratedSequence> Collect(List<GeneratedSequence>[] done) =>
            beamSize == 0
                ? done.Select(d => d[0]).ToArray()
                : done[0].OrderByDescending(s => s.Score).ToArray();

        private static bool Generable(int token) => token is not TargetVocabulary.PadId and not TargetVocabulary.BosId;

        private static int ArgMax(ReadOnlySpan<float> logProbs)
        {
            int best = -1;
            for (int v = 0; v < logProbs.Length; v++)
                if (Generable(v) && (best < 0 || logProbs[v] > logProbs[best]))
                    best = v;
            return best;
        }

        private int Draw(ReadOnlySpan<float> logProbs)
        {
            var order = Enumerable.Range(0, logProbs.Length).Where(Generable).ToArray();
            var values = logProbs.ToArray();
            Array.Sort(order, (a, b) => values[b].CompareTo(values[a]) is var c && c != 0 ? c : a.CompareTo(b));
            int k = topK == 0 ? order.Length : Math.Min(topK, order.Length);
            double max = values[order[0]], total = 0;
            var weights = new double[k];
            for (int i = 0; i < k; i++)
                total += weights[i] = Math.Exp((values[order[i]] - max) / temperature);
            double r = random!.NextDouble() * total;
            for (int i = 0; i < k; i++)
            {
                r -= weights[i];
                if (r < 0)
                    return order[i];
            }

            return order[k - 1];
        }
    }
}
