using MlNetRnn.Transforms.Onnx;
using MlNetRnn.Transforms.Text;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// What every path that generates shares (the batched cursor, the one-row mapper, the saved stock form): the package, the
/// settings, the source tokenizer, and one decode of a list of rows.
/// </summary>
internal sealed class GenerationCore
{
    private readonly TokenIds? sourceIds;

    public GenerationCore(GeneratorPackage package, GenerationSettings settings)
    {
        Package = package;
        Settings = settings;
        var m = package.Manifest;
        if (settings.Conditioned == package.IsSequenceToSequence)
        {
            string call = settings.Conditioned ? "GenerateFromCondition" : "GenerateSequence";
            throw new ArgumentException($"{package.Source}: {call} needs a {(settings.Conditioned ? "\"conditioned\"" : "\"seq2seq\"")} package, but the manifest's kind is \"{m.Kind}\".", "options");
        }

        if (m.Source is { } source)
            sourceIds = new TokenIds(TextTokenization.Parse(source.Tokenization), source.Tokens, source.UnknownId);
        Decoding = settings.Decoding(m);
    }

    public GeneratorPackage Package { get; }

    public GenerationSettings Settings { get; }

    public DecodingSettings Decoding { get; }

    /// <summary>The source ids of a text: its tokens by the package's tokenization, unknown tokens as the unknown id.</summary>
    public long[] SourceIds(string text) => sourceIds!.Encode(sourceIds.Tokenize(text), Settings.InputColumnName);

    /// <summary>
    /// Decodes a window of rows: orders them by source length (longest first, ties by row), cuts that order into batches of
    /// <c>BatchSize</c> rows, decodes up to <c>Concurrency</c> batches at a time and returns the outputs in row order.
    /// </summary>
    public GenerationOutput[] GenerateWindow(IDecoderSteps steps, IReadOnlyList<GenerationInput> rows)
    {
        int batch = Settings.BatchSize;
        if (rows.Count <= batch)
            return Generate(steps, rows);
        int[] order = Enumerable.Range(0, rows.Count).OrderByDescending(i => rows[i].SourceIds?.Length ?? 0).ThenBy(i => i).ToArray();
        var batches = order.Chunk(batch).ToArray();
        var outputs = new GenerationOutput[rows.Count];
        try
        {
            Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = Settings.Concurrency }, b =>
            {
                var generated = Generate(steps, batches[b].Select(i => rows[i]).ToArray());
                for (int j = 0; j < generated.Length; j++)
                    outputs[batches[b][j]] = generated[j];
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        return outputs;
    }

    /// <summary>Decodes <paramref name="rows"/> in one batch (empty rows are skipped and get an empty output).</summary>
    public GenerationOutput[] Generate(IDecoderSteps steps, IReadOnlyList<GenerationInput> rows)
    {
        var outputs = new GenerationOutput[rows.Count];
        var live = Enumerable.Range(0, rows.Count).Where(i => !rows[i].IsEmpty).ToArray();
        if (live.Length > 0)
        {
            if (Settings.Conditioned)
            {
                var encoded = steps.EncodeConditions(live.Select(i => rows[i].Condition!).ToArray());
                var sampled = Sampler.Run(steps, encoded, Decoding, live.Select(i => rows[i].Seed).ToArray());
                for (int j = 0; j < live.Length; j++)
                    outputs[live[j]] = Output([sampled[j]]);
            }
            else
            {
                var encoded = steps.EncodeSources(live.Select(i => rows[i].SourceIds!).ToArray());
                var beams = BeamSearch.Run(steps, encoded, Decoding);
                for (int j = 0; j < live.Length; j++)
                    outputs[live[j]] = Output(beams[j]);
            }
        }

        for (int i = 0; i < outputs.Length; i++)
            outputs[i] ??= Output([]);
        return outputs;
    }

    /// <summary>The text of target ids, joined by the package's joiner.</summary>
    public string TextOf(int[] tokens)
    {
        var vocabulary = Package.Manifest.Target.Tokens;
        return string.Join(Package.Manifest.Target.Joiner, tokens.Select(t => vocabulary[t]));
    }

    private GenerationOutput Output(Hypothesis[] best)
    {
        int n = Settings.NBest;
        var texts = new string[n];
        var logProbs = new float[n];
        for (int i = 0; i < n; i++)
        {
            texts[i] = i < best.Length ? TextOf(best[i].Tokens) : "";
            logProbs[i] = i < best.Length ? (float)best[i].LogProbability : float.NaN;
        }

        return best.Length == 0
            ? new GenerationOutput("", float.NaN, texts, logProbs)
            : new GenerationOutput(TextOf(best[0].Tokens), (float)best[0].LogProbability, texts, logProbs);
    }
}
