using System.Text;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Transforms.Onnx;
using MlNetRnn.Transforms.Text;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Generates text one token at a time from a language model exported by MlNetRnn, with ONNX Runtime only (no TorchSharp):
/// the model's <c>initial_h</c>/<c>initial_c</c> inputs and <c>final_h</c>/<c>final_c</c> outputs carry the state between steps.
/// </summary>
/// <remarks>
/// The generator owns its <see cref="InferenceSession"/>; dispose it when done. An instance is not thread-safe: use one per
/// thread. Padding and the unknown token are never sampled.
/// </remarks>
/// <example>See <c>samples/CharLanguageModel</c>.</example>
public sealed class RnnTextGenerator : IDisposable
{
    private const string FinalH = "final_h", FinalC = "final_c";
    private readonly InferenceSession session;
    private readonly RnnModelDescription model;
    private readonly TokenIds ids;
    private bool disposed;

    /// <summary>Loads a language model from an ONNX file.</summary>
    /// <param name="modelPath">An ONNX language model exported by MlNetRnn (task <c>language_model</c>, with a vocabulary).</param>
    /// <exception cref="ArgumentException">The file is not an MlNetRnn language model with a vocabulary and tokenization settings.</exception>
    public RnnTextGenerator(string modelPath)
        : this(OnnxSessionFactory.ReadModelFile(modelPath ?? throw new ArgumentNullException(nameof(modelPath))))
    {
    }

    /// <summary>Loads a language model from ONNX bytes.</summary>
    /// <param name="modelBytes">An ONNX language model exported by MlNetRnn.</param>
    /// <exception cref="ArgumentException">The bytes are not an MlNetRnn language model with a vocabulary and tokenization settings.</exception>
    public RnnTextGenerator(byte[] modelBytes)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        session = OnnxSessionFactory.Create(modelBytes, intraOpThreads: 1);
        try
        {
            model = OnnxModelInspector.Describe(session, settings: null);
            if (model.Task != RnnModelTask.LanguageModel || model.InitialHName is null || model.LengthsName is null)
                throw new ArgumentException($"Expected an MlNetRnn language model (metadata task language_model with initial_h input), got a {model.Task} model: {model.Signature}", nameof(modelBytes));
            if (model.Vocabulary is null || model.Tokenization is null)
                throw new ArgumentException("Expected a language model whose metadata has a vocabulary and tokenization settings; this one has none, so text can't be mapped to ids.", nameof(modelBytes));
            ids = new TokenIds(model);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Continues <paramref name="prompt"/> with <paramref name="count"/> sampled tokens.</summary>
    /// <param name="prompt">Text to start from; at least one token after tokenization. Unknown tokens read as the unknown id.</param>
    /// <param name="count">Number of tokens to generate (≥ 0).</param>
    /// <param name="temperature">Softmax temperature; 0 picks the most likely token every step.</param>
    /// <param name="seed">Seed of the sampler, for reproducible text.</param>
    /// <returns>
    /// The generated continuation without the prompt, decoded as MlNetRnn.Training's <c>TextGenerator.Generate</c> decodes
    /// it: characters concatenated at character level, words joined by single spaces at word level.
    /// </returns>
    /// <exception cref="ArgumentException">The prompt has no tokens, or an argument is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    public string Generate(string prompt, int count, double temperature = 1.0, int seed = 0)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(temperature >= 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Expected a finite temperature ≥ 0.");
        var tokens = ids.Tokenize(prompt);
        if (tokens.Length == 0)
            throw new ArgumentException($"prompt: expected at least one token after {(model.Tokenization!.WordLevel ? "word" : "character")} tokenization, got none from \"{prompt}\".", nameof(prompt));

        var vocabulary = model.Vocabulary!;
        var random = new Random(seed);
        int stateSize = model.StateLayers * model.StateHidden;
        float[] h = new float[stateSize], c = new float[stateSize];
        long[] input = ids.Encode(tokens, nameof(prompt));
        var output = new StringBuilder();
        var probabilities = new double[vocabulary.Count];
        for (int step = 0; step < count; step++)
        {
            float[] logProbs = Step(input, h, c);                                      // last position's log-probabilities (V)
            long next = Sample(logProbs, temperature, random, probabilities);
            if (model.Tokenization!.WordLevel && step > 0)
                output.Append(' ');
            output.Append(vocabulary[(int)next]);
            input = [next];
        }
        return output.ToString();
    }

    /// <summary>Disposes the ONNX Runtime session. Calling it twice is harmless.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        session.Dispose();
    }

    /// <summary>Runs <paramref name="input"/> from state (h, c), writes the new state back into h and c, returns the last log-probs.</summary>
    private float[] Step(long[] input, float[] h, float[] c)
    {
        long[] stateShape = [model.StateLayers, 1, model.StateHidden];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(input, [1, input.Length]);
        using var lengths = OrtValue.CreateTensorValueFromMemory(new long[] { input.Length }, [1]);
        using var hValue = OrtValue.CreateTensorValueFromMemory(h, stateShape);
        using var cValue = OrtValue.CreateTensorValueFromMemory(c, stateShape);
        bool lstm = model.InitialCName is not null;
        string[] inputNames = lstm ? [model.InputIdsName, model.LengthsName!, model.InitialHName!, model.InitialCName!] : [model.InputIdsName, model.LengthsName!, model.InitialHName!];
        OrtValue[] values = lstm ? [idsValue, lengths, hValue, cValue] : [idsValue, lengths, hValue];
        string[] outputNames = lstm ? [model.LogProbsName!, FinalH, FinalC] : [model.LogProbsName!, FinalH];
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, inputNames, values, outputNames);
        int V = model.Vocabulary!.Count;
        float[] last = results[0].GetTensorDataAsSpan<float>().Slice((input.Length - 1) * V, V).ToArray();
        results[1].GetTensorDataAsSpan<float>().CopyTo(h);
        if (lstm)
            results[2].GetTensorDataAsSpan<float>().CopyTo(c);
        return last;
    }

    private long Sample(float[] logProbs, double temperature, Random random, double[] weights)
    {
        int best = -1;
        double max = double.NegativeInfinity;
        for (int v = 0; v < logProbs.Length; v++)
        {
            if (v == model.PadId || v == model.UnkId)
                continue;
            if (logProbs[v] > max)
                (max, best) = (logProbs[v], v);
        }
        if (temperature == 0)
            return best;
        double total = 0;
        for (int v = 0; v < logProbs.Length; v++)
        {
            weights[v] = v == model.PadId || v == model.UnkId ? 0 : Math.Exp((logProbs[v] - max) / temperature);
            total += weights[v];
        }
        double r = random.NextDouble() * total;
        for (int v = 0; v < weights.Length; v++)
        {
            r -= weights[v];
            if (r <= 0 && weights[v] > 0)
                return v;
        }
        return best;
    }
}
