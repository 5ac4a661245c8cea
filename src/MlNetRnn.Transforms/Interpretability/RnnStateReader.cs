using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Transforms.Onnx;
using MlNetRnn.Transforms.Text;

namespace MlNetRnn.Transforms.Interpretability;

/// <summary>
/// Reads every layer's hidden state at every position of a text from a language model exported by MlNetRnn with layer
/// states (<c>OnnxExportOptions.IncludeLayerStates</c>), with ONNX Runtime only (no TorchSharp).
/// </summary>
/// <remarks>
/// <para>
/// The text is tokenized with the model's own contract (its <c>mlnetrnn.tokenization</c> settings and vocabulary; tokens
/// outside the vocabulary read as the unknown id) and run in chunks of at most <see cref="ChunkLength"/> tokens, the
/// model's <c>final_h</c>/<c>final_c</c> outputs carried into the next chunk's <c>initial_h</c>/<c>initial_c</c>, so a long
/// text gives the same states as one run over the whole text (up to float rounding).
/// </para>
/// <para>
/// Positions: for a character-level model position <c>p</c> is the text's UTF-16 character <c>p</c> (lowercasing, when the
/// model asks for it, keeps the length); for a word-level model it is token <c>p</c> of <see cref="Tokenize"/>.
/// Only hidden states are read: the ONNX LSTM operator returns no per-token cell state, so a model's cell states come from
/// MlNetRnn.Training's <c>RnnStateProbe</c>.
/// </para>
/// <para>The reader owns its <see cref="InferenceSession"/>; dispose it when done. An instance is not thread-safe: use one per thread.</para>
/// </remarks>
public sealed class RnnStateReader : IDisposable
{
    /// <summary>The default number of tokens per ONNX Runtime call.</summary>
    public const int DefaultChunkLength = 1024;

    private readonly InferenceSession session;
    private readonly RnnModelDescription model;
    private readonly TokenIds ids;
    private bool disposed;

    /// <summary>Loads a language model from an ONNX file.</summary>
    /// <param name="modelPath">An ONNX language model exported by MlNetRnn with a vocabulary, tokenization settings and layer states.</param>
    /// <param name="chunkLength">Most tokens per ONNX Runtime call (at least 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The model is not such a language model; the message says what is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkLength"/> is less than 1.</exception>
    public RnnStateReader(string modelPath, int chunkLength = DefaultChunkLength)
        : this(OnnxSessionFactory.ReadModelFile(modelPath ?? throw new ArgumentNullException(nameof(modelPath))), chunkLength)
    {
    }

    /// <summary>Loads a language model from ONNX bytes.</summary>
    /// <param name="modelBytes">An ONNX language model exported by MlNetRnn with a vocabulary, tokenization settings and layer states.</param>
    /// <param name="chunkLength">Most tokens per ONNX Runtime call (at least 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="modelBytes"/> is null.</exception>
    /// <exception cref="ArgumentException">The model is not such a language model; the message says what is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkLength"/> is less than 1.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the bytes.</exception>
    public RnnStateReader(byte[] modelBytes, int chunkLength = DefaultChunkLength)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        if (chunkLength < 1)
            throw new ArgumentOutOfRangeException(nameof(chunkLength), chunkLength, $"{nameof(chunkLength)}: expected at least 1 token per call, got {chunkLength}.");
        ChunkLength = chunkLength;
        session = OnnxSessionFactory.Create(modelBytes, intraOpThreads: 1);
        try
        {
            model = Describe(session);
            ids = new TokenIds(model);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Most tokens per ONNX Runtime call.</summary>
    public int ChunkLength { get; }

    /// <summary>Number of recurrent layers: the number of tracks <see cref="Read"/> returns.</summary>
    public int Layers => model.NumLayers;

    /// <summary>Units per layer (the hidden size; language models run in one direction).</summary>
    public int UnitsPerLayer => model.FeatureSize;

    /// <summary>True when positions are words (tokens of the model's word pattern), false when they are characters.</summary>
    public bool WordLevel => ids.WordLevel;

    /// <summary>The tokens of <paramref name="text"/> under the model's tokenization: what the positions of <see cref="Read"/> are.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(text);
        return ids.Tokenize(text);
    }

    /// <summary>Runs the model over <paramref name="text"/> from a zero state and returns every layer's hidden state at every position.</summary>
    /// <param name="text">The text; may be empty (every track then has 0 positions).</param>
    /// <returns>
    /// One track per layer, named <c>"layer 1 h"</c>, <c>"layer 2 h"</c>, …, each with <see cref="UnitsPerLayer"/> units and
    /// one position per token (see the remarks for what a position is).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">A token is not in the vocabulary and the model has no unknown id.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public IReadOnlyList<UnitTrack> Read(string text)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(text);
        long[] tokens = ids.Encode(ids.Tokenize(text), nameof(text));
        int L = model.NumLayers, F = model.FeatureSize, N = tokens.Length;
        var values = new float[L][];
        for (int k = 0; k < L; k++)
            values[k] = new float[(long)N * F];

        int stateSize = model.StateLayers * model.StateHidden;
        float[] h = new float[stateSize], c = new float[stateSize];
        for (int start = 0; start < N; start += ChunkLength)
        {
            int length = Math.Min(ChunkLength, N - start);
            RunChunk(tokens.AsMemory(start, length), h, c, values, start);
        }

        return [.. Enumerable.Range(0, L).Select(k => new UnitTrack($"layer {k + 1} h", F, values[k]))];
    }

    /// <summary>Disposes the ONNX Runtime session. Calling it twice is harmless.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        session.Dispose();
    }

    /// <summary>Runs one chunk from state (h, c), writes its states to <c>values[layer]</c> from position <paramref name="start"/> on and the new state back.</summary>
    private void RunChunk(Memory<long> chunk, float[] h, float[] c, float[][] values, int start)
    {
        int T = chunk.Length, L = model.NumLayers, F = model.FeatureSize;
        long[] stateShape = [model.StateLayers, 1, model.StateHidden];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, chunk, [1, T]);
        using var lengths = OrtValue.CreateTensorValueFromMemory(new long[] { T }, [1]);
        using var hValue = OrtValue.CreateTensorValueFromMemory(h, stateShape);
        using var cValue = OrtValue.CreateTensorValueFromMemory(c, stateShape);
        bool lstm = model.InitialCName is not null;
        string[] inputNames = lstm ? [model.InputIdsName, model.LengthsName!, model.InitialHName!, model.InitialCName!] : [model.InputIdsName, model.LengthsName!, model.InitialHName!];
        OrtValue[] inputs = lstm ? [idsValue, lengths, hValue, cValue] : [idsValue, lengths, hValue];
        string[] outputNames = lstm ? [model.LayerHiddenStatesName!, MetadataKeys.FinalH, MetadataKeys.FinalC] : [model.LayerHiddenStatesName!, MetadataKeys.FinalH];
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, inputNames, inputs, outputNames);

        var states = results[0].GetTensorDataAsSpan<float>();                          // (1, T, L, F)
        for (int t = 0; t < T; t++)
        {
            for (int k = 0; k < L; k++)
                states.Slice((t * L + k) * F, F).CopyTo(values[k].AsSpan((start + t) * F, F));
        }

        results[1].GetTensorDataAsSpan<float>().CopyTo(h);
        if (lstm)
            results[2].GetTensorDataAsSpan<float>().CopyTo(c);
    }

    private static RnnModelDescription Describe(InferenceSession session)
    {
        var model = OnnxModelInspector.Describe(session, settings: null);
        var outputs = session.OutputMetadata;
        if (model.Task != RnnModelTask.LanguageModel || model.InitialHName is null || !outputs.ContainsKey(MetadataKeys.FinalH)
            || (model.InitialCName is not null && !outputs.ContainsKey(MetadataKeys.FinalC)))
            throw new ArgumentException($"Expected an MlNetRnn language model (task language_model, initial_h input, final_h output), got a {model.Task} model: {model.Signature}", "modelBytes");
        if (model.LayerHiddenStatesName is null)
            throw new ArgumentException($"Expected a language model exported with layer states (a '{MetadataKeys.LayerHiddenStates}' output); this one has none: re-export it with OnnxExportOptions.IncludeLayerStates = true. Model {model.Signature}", "modelBytes");
        if (model.Vocabulary is null || model.Tokenization is null)
            throw new ArgumentException("Expected a language model whose metadata has a vocabulary and tokenization settings; this one has none, so text can't be mapped to ids.", "modelBytes");
        return model;
    }
}
