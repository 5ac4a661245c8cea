using System.Globalization;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Export;

/// <summary>
/// A float32 CPU copy of an <see cref="RnnSequenceModel"/>'s parameters, checked against its config, with the recurrent
/// weights rearranged into the ONNX RNN/LSTM/GRU layouts.
/// </summary>
internal sealed class RnnWeights
{
    private readonly Dictionary<string, float[]> values;

    private RnnWeights(RnnModelConfig config, Dictionary<string, float[]> values)
    {
        Config = config;
        this.values = values;
    }

    public RnnModelConfig Config { get; }

    public float[] Embedding => values["embedding.weight"];

    public float[] HeadWeight => values["head.weight"];

    public float[] HeadBias => values["head.bias"];

    /// <summary>The character embedding <c>[CharVocabSize, CharEmbeddingDim]</c> (models with a character encoder only).</summary>
    public float[] CharEmbedding => values["chars.embedding.weight"];

    /// <summary>Rows of torch's weight/bias per gate; ONNX wants <c>i,o,f,c</c> (LSTM) and <c>z,r,h</c> (GRU).</summary>
    private int[] GateOrder => GateOrderOf(Config.Cell);

    public int GateCount => GateOrder.Length;

    /// <summary>Copies and checks every parameter of <paramref name="model"/>.</summary>
    /// <exception cref="NotSupportedException">A parameter is not float32, or the model has a parameter the exporter does not know.</exception>
    /// <exception cref="ArgumentException">A parameter has an unexpected shape, is missing or holds NaN or infinity.</exception>
    public static RnnWeights Read(RnnSequenceModel model)
    {
        var config = model.Config;
        var expected = ExpectedShapes(config);
        var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!expected.TryGetValue(name, out long[]? shape))
                throw new NotSupportedException($"ONNX export: parameter '{name}' is not part of an embedding → {config.Cell} → linear model, which is all the exporter can write; expected only [{string.Join(", ", expected.Keys)}].");
            if (!parameter.shape.SequenceEqual(shape))
                throw new ArgumentException($"ONNX export: parameter '{name}': expected shape ({string.Join(", ", shape)}) from the model's config, got ({string.Join(", ", parameter.shape)}).", nameof(model));
            values.Add(name, ReadFinite(name, parameter, nameof(model)));
        }

        var missing = expected.Keys.Where(k => !values.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"ONNX export: expected parameters [{string.Join(", ", missing)}], the model has none by those names.", nameof(model));
        return new RnnWeights(config, values);
    }

    /// <summary>A float32 CPU copy of a parameter, checked to be float32 and finite.</summary>
    /// <exception cref="NotSupportedException">The parameter is not float32.</exception>
    /// <exception cref="ArgumentException">The parameter holds NaN or infinity.</exception>
    internal static float[] ReadFinite(string name, Tensor parameter, string paramName)
    {
        if (parameter.dtype != ScalarType.Float32)
            throw new NotSupportedException($"ONNX export: parameter '{name}': expected float32, got {parameter.dtype}. Convert the model with model.to(ScalarType.Float32) before exporting.");
        using var scope = NewDisposeScope();
        float[] data = parameter.detach().cpu().contiguous().data<float>().ToArray();
        int bad = Array.FindIndex(data, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX export: parameter '{name}': expected finite values, got {data[bad]} at flat index {bad}. The model diverged in training; export a checkpoint from before."), paramName);
        return data;
    }

    /// <summary>ONNX <c>W</c> of layer <paramref name="layer"/>: <c>[D, G*H, in]</c>.</summary>
    public float[] W(int layer) => OnnxW(Config.Cell, Config.Bidirectional, layer, Parameter);

    /// <summary>ONNX <c>R</c> of layer <paramref name="layer"/>: <c>[D, G*H, H]</c>.</summary>
    public float[] R(int layer) => OnnxR(Config.Cell, Config.Bidirectional, layer, Parameter);

    /// <summary>ONNX <c>B</c> of layer <paramref name="layer"/>: <c>[D, 2*G*H]</c>, each direction's input bias then recurrent bias.</summary>
    public float[] B(int layer) => OnnxB(Config.Cell, Config.Bidirectional, layer, Parameter);

    /// <summary>ONNX <c>W</c>, <c>R</c> and <c>B</c> of the bidirectional character encoder: <c>[2, G*Hc, Ec]</c>, <c>[2, G*Hc, Hc]</c>, <c>[2, 2*G*Hc]</c>.</summary>
    public (float[] W, float[] R, float[] B) CharRnn()
    {
        float[] CharParameter(string name) => values["chars.rnn." + name];
        return (OnnxW(Config.Cell, true, 0, CharParameter), OnnxR(Config.Cell, true, 0, CharParameter), OnnxB(Config.Cell, true, 0, CharParameter));
    }

    /// <summary>ONNX <c>W</c> <c>[D, G*H, in]</c> of a torch RNN/LSTM/GRU layer whose parameters (<c>weight_ih_l0</c>, …) <paramref name="parameter"/> returns.</summary>
    internal static float[] OnnxW(RnnCellType cell, bool bidirectional, int layer, Func<string, float[]> parameter) =>
        StackDirections(cell, bidirectional, layer, parameter, "weight_ih");

    /// <summary>ONNX <c>R</c> <c>[D, G*H, H]</c> of a torch layer (see <see cref="OnnxW"/>).</summary>
    internal static float[] OnnxR(RnnCellType cell, bool bidirectional, int layer, Func<string, float[]> parameter) =>
        StackDirections(cell, bidirectional, layer, parameter, "weight_hh");

    /// <summary>ONNX <c>B</c> <c>[D, 2*G*H]</c> of a torch layer: each direction's input bias then recurrent bias.</summary>
    internal static float[] OnnxB(RnnCellType cell, bool bidirectional, int layer, Func<string, float[]> parameter)
    {
        var result = new List<float>();
        foreach (string suffix in DirectionSuffixes(bidirectional))
        {
            result.AddRange(ToOnnxGates(cell, parameter($"bias_ih_l{layer}{suffix}")));
            result.AddRange(ToOnnxGates(cell, parameter($"bias_hh_l{layer}{suffix}")));
        }

        return [.. result];
    }

    /// <summary>The head's weight transposed to <c>[F, C]</c>, for a MatMul on the right of the features.</summary>
    public float[] HeadWeightTransposed()
    {
        int C = Config.OutputSize, F = Config.FeatureSize;
        var w = HeadWeight;
        var t = new float[w.Length];
        for (int c = 0; c < C; c++)
            for (int f = 0; f < F; f++)
                t[f * C + c] = w[c * F + f];
        return t;
    }

    public int LayerInputSize(int layer) => layer == 0 ? Config.InputSize : Config.FeatureSize;

    private float[] Parameter(string recurrentName) => values["rnn." + recurrentName];

    private static float[] StackDirections(RnnCellType cell, bool bidirectional, int layer, Func<string, float[]> parameter, string kind)
    {
        var result = new List<float>();
        foreach (string suffix in DirectionSuffixes(bidirectional))
            result.AddRange(ToOnnxGates(cell, parameter($"{kind}_l{layer}{suffix}")));
        return [.. result];
    }

    /// <summary>Rows of torch's weight/bias per gate of <paramref name="cell"/>, in ONNX's gate order.</summary>
    internal static int[] GateOrderOf(RnnCellType cell) => cell switch
    {
        RnnCellType.Lstm => [0, 3, 1, 2],
        RnnCellType.Gru => [1, 0, 2],
        _ => [0],
    };

    /// <summary>Rearranges the H-row gate blocks of a torch weight <c>[G*H, cols]</c> or bias <c>[G*H]</c> into ONNX's gate order.</summary>
    internal static float[] ToOnnxGates(RnnCellType cell, float[] torchValues)
    {
        int[] order = GateOrderOf(cell);
        int blockLength = torchValues.Length / order.Length;
        var result = new float[torchValues.Length];
        int at = 0;
        foreach (int gate in order)
        {
            Array.Copy(torchValues, gate * blockLength, result, at, blockLength);
            at += blockLength;
        }

        return result;
    }

    private static string[] DirectionSuffixes(RnnModelConfig config) => DirectionSuffixes(config.Bidirectional);

    private static string[] DirectionSuffixes(bool bidirectional) => bidirectional ? ["", "_reverse"] : [""];

    private static Dictionary<string, long[]> ExpectedShapes(RnnModelConfig c)
    {
        int gates = c.Cell switch { RnnCellType.Lstm => 4, RnnCellType.Gru => 3, _ => 1 };
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { ["embedding.weight"] = [c.VocabSize, c.EmbeddingDim] };
        for (int k = 0; k < c.NumLayers; k++)
            AddLayer("rnn", k, k == 0 ? c.InputSize : c.FeatureSize, c.HiddenSize, c.Bidirectional);
        if (c.HasCharEncoder)
        {
            shapes["chars.embedding.weight"] = [c.CharVocabSize, c.CharEmbeddingDim];
            AddLayer("chars.rnn", 0, c.CharEmbeddingDim, c.CharHiddenSize, bidirectional: true);
        }

        shapes["head.weight"] = [c.OutputSize, c.FeatureSize];
        shapes["head.bias"] = [c.OutputSize];
        return shapes;

        void AddLayer(string prefix, int k, long inputSize, int hidden, bool bidirectional)
        {
            long gh = (long)gates * hidden;
            foreach (string suffix in DirectionSuffixes(bidirectional))
            {
                shapes[$"{prefix}.weight_ih_l{k}{suffix}"] = [gh, inputSize];
                shapes[$"{prefix}.weight_hh_l{k}{suffix}"] = [gh, hidden];
                shapes[$"{prefix}.bias_ih_l{k}{suffix}"] = [gh];
                shapes[$"{prefix}.bias_hh_l{k}{suffix}"] = [gh];
            }
        }
    }
}
