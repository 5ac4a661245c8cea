using MlNetRnn.Training.Models;
using static MlNetRnn.Training.Export.OnnxGraphBuilder;
using DataType = MlNetRnn.Training.Export.Onnx.TensorProto.Types.DataType;

namespace MlNetRnn.Training.Export;

/// <summary>Writes the inference graph of an <see cref="RnnSequenceModel"/> in the README's ONNX model format.</summary>
internal static class RnnGraphWriter
{
    /// <summary>Writes the whole graph: inputs, layers, head and outputs.</summary>
    /// <param name="g">The graph to write into.</param>
    /// <param name="w">The model's weights.</param>
    /// <param name="includeLayerStates">Also output <c>layer_hidden_states</c> <c>[batch, seq, layers, dirs*hidden]</c>; when false
    /// not a single node or initializer differs from a graph written before the option existed.</param>
    public static void Write(OnnxGraphBuilder g, RnnWeights w, bool includeLayerStates)
    {
        // Appended after everything else, so that the rest of the graph (node names included) is the same either way.
        var (layerOutputs, nonEmpty) = WriteModel(g, w);
        if (includeLayerStates)
            AddLayerStates(g, layerOutputs, nonEmpty, w.Config.FeatureSize);
    }

    /// <summary>The graph of the README's format; returns each layer's output (T, B, D*H) and the non-empty row mask.</summary>
    private static (string[] LayerOutputs, string NonEmpty) WriteModel(OnnxGraphBuilder g, RnnWeights w)
    {
        var c = w.Config;
        int L = c.NumLayers, D = c.NumDirections, H = c.HiddenSize, F = c.FeatureSize, C = c.OutputSize;
        bool isLm = c.Task == RnnTask.LanguageModel, isLstm = c.Cell == RnnCellType.Lstm;
        const string B = OnnxNames.Batch, T = OnnxNames.Seq;

        g.AddInput(OnnxNames.InputIds, DataType.Int64, B, T);
        g.AddInput(OnnxNames.Lengths, DataType.Int64, B);
        if (isLm)
        {
            g.AddInput(OnnxNames.InitialH, DataType.Float, L * D, B, H);
            if (isLstm)
                g.AddInput(OnnxNames.InitialC, DataType.Float, L * D, B, H);
        }

        var one = g.AddInitializer("const_one", [1L]);
        var zero = g.AddInitializer("const_zero", [0L]);
        var axes02 = g.AddInitializer("const_axes_0_2", [0L, 2L], 2);
        var axes12 = g.AddInitializer("const_axes_1_2", [1L, 2L], 2);
        var mergeDirections = g.AddInitializer("const_shape_0_0_m1", [0L, 0L, -1L], 3);

        // Token ids → embeddings, time-major as the RNN operators want them.
        var idsTB = g.Add("Transpose", [OnnxNames.InputIds], null, Ints("perm", 1, 0));                  // (T, B)
        var embedding = g.AddInitializer("embedding.weight", w.Embedding, c.VocabSize, c.EmbeddingDim);
        var x = g.Add("Gather", [embedding, idsTB], null, Int("axis", 0));                               // (T, B, E)
        if (c.HasCharEncoder)
            x = g.Add("Concat", [x, WriteCharEncoder(g, w, idsTB)], null, Int("axis", 2));               // (T, B, E + 2Hc)

        // ORT must never see a length of 0: clamp to 1, then undo that step's effects with the non-empty mask.
        var clamped = g.Add("Max", [OnnxNames.Lengths, one]);                                            // (B)
        var sequenceLens = g.Add("Cast", [clamped], "sequence_lens", Int("to", (long)DataType.Int32));   // (B) int32
        var nonEmpty = g.Add("Greater", [OnnxNames.Lengths, zero], "non_empty");                         // (B) bool
        var keepState = g.Add("Unsqueeze", [nonEmpty, axes02], "keep_state");                           // (1, B, 1) bool
        var keepStateF = g.Add("Cast", [keepState], null, Int("to", (long)DataType.Float));              // (1, B, 1)

        var layerOutputs = new string[L];
        var finalH = new string[L];
        var finalC = new string[L];
        for (int k = 0; k < L; k++)
        {
            string layer = $"rnn_l{k}";
            int inputSize = w.LayerInputSize(k), gh = w.GateCount * H;
            var W = g.AddInitializer($"{layer}.W", w.W(k), D, gh, inputSize);
            var R = g.AddInitializer($"{layer}.R", w.R(k), D, gh, H);
            var bias = g.AddInitializer($"{layer}.B", w.B(k), D, 2 * gh);
            string h0 = isLm ? LayerState(g, OnnxNames.InitialH, k, L, D) : "";
            string c0 = isLm && isLstm ? LayerState(g, OnnxNames.InitialC, k, L, D) : "";

            var outputs = AddRecurrent(g, layer, c.Cell, c.Bidirectional, H, x, W, R, bias, sequenceLens, h0, c0); // Y (T, D, B, H), Y_h (D, B, H)

            finalH[k] = KeepInitialWhenEmpty(g, outputs[1], h0, keepState, keepStateF);              // (D, B, H)
            if (isLstm)
                finalC[k] = KeepInitialWhenEmpty(g, outputs[2], c0, keepState, keepStateF);

            var yTBDH = g.Add("Transpose", [outputs[0]], null, Ints("perm", 0, 2, 1, 3));              // (T, B, D, H)
            x = g.Add("Reshape", [yTBDH, mergeDirections]);                                           // (T, B, D*H), forward first
            layerOutputs[k] = x;
        }

        var keepRows = g.Add("Cast", [g.Add("Unsqueeze", [nonEmpty, axes12])], null, Int("to", (long)DataType.Float)); // (B, 1, 1)
        var yBTF = g.Add("Transpose", [x], null, Ints("perm", 1, 0, 2));                              // (B, T, D*H)
        var hiddenStates = g.Add("Mul", [yBTF, keepRows], OnnxNames.HiddenStates);                   // (B, T, D*H)

        var lastBDH = g.Add("Transpose", [finalH[L - 1]], null, Ints("perm", 1, 0, 2));               // (B, D, H)
        var flatten = g.AddInitializer("const_shape_0_m1", [0L, -1L], 2);
        var lastHidden = g.Add("Reshape", [lastBDH, flatten], OnnxNames.LastHidden);                 // (B, D*H)

        g.AddOutput(OnnxNames.HiddenStates, DataType.Float, B, T, F);
        g.AddOutput(OnnxNames.LastHidden, DataType.Float, B, F);

        var headBias = g.AddInitializer("head.bias", w.HeadBias, C);
        if (c.Task == RnnTask.SequenceClassification)
        {
            var headWeight = g.AddInitializer("head.weight", w.HeadWeight, C, F);
            var logits = g.Add("Gemm", [lastHidden, headWeight, headBias], "logits", Int("transB", 1)); // (B, C)
            g.Add("Softmax", [logits], OnnxNames.Probabilities, Int("axis", -1));
            g.Add("ArgMax", [logits], OnnxNames.PredictedLabel, Int("axis", -1), Int("keepdims", 0));
            g.AddOutput(OnnxNames.Probabilities, DataType.Float, B, C);
            g.AddOutput(OnnxNames.PredictedLabel, DataType.Int64, B);
            return (layerOutputs, nonEmpty);
        }

        var headWeightT = g.AddInitializer("head.weight_t", w.HeadWeightTransposed(), F, C);
        var logitsBTC = g.Add("Add", [g.Add("MatMul", [hiddenStates, headWeightT]), headBias], "logits"); // (B, T, C)
        if (c.Task == RnnTask.TokenClassification)
        {
            g.Add("Softmax", [logitsBTC], OnnxNames.Probabilities, Int("axis", -1));
            g.Add("ArgMax", [logitsBTC], OnnxNames.PredictedLabel, Int("axis", -1), Int("keepdims", 0));
            g.AddOutput(OnnxNames.Probabilities, DataType.Float, B, T, C);
            g.AddOutput(OnnxNames.PredictedLabel, DataType.Int64, B, T);
            return (layerOutputs, nonEmpty);
        }

        g.Add("LogSoftmax", [logitsBTC], OnnxNames.LogProbs, Int("axis", -1));
        Concat(g, finalH, OnnxNames.FinalH);
        g.AddOutput(OnnxNames.LogProbs, DataType.Float, B, T, C);
        g.AddOutput(OnnxNames.FinalH, DataType.Float, L * D, B, H);
        if (isLstm)
        {
            Concat(g, finalC, OnnxNames.FinalC);
            g.AddOutput(OnnxNames.FinalC, DataType.Float, L * D, B, H);
        }

        return (layerOutputs, nonEmpty);
    }

    /// <summary>
    /// The character encoder (see <see cref="CharWordEncoder"/>): inputs <c>char_ids</c> (B, T, W) and <c>char_lengths</c> (B, T);
    /// returns each word's features (T, B, 2Hc), zero for words without characters.
    /// </summary>
    private static string WriteCharEncoder(OnnxGraphBuilder g, RnnWeights w, string idsTB)
    {
        var c = w.Config;
        int Hc = c.CharHiddenSize, G = w.GateCount;
        g.AddInput(OnnxNames.CharIds, DataType.Int64, OnnxNames.Batch, OnnxNames.Seq, OnnxNames.Word);
        g.AddInput(OnnxNames.CharLengths, DataType.Int64, OnnxNames.Batch, OnnxNames.Seq);

        var charsTBW = g.Add("Transpose", [OnnxNames.CharIds], null, Ints("perm", 1, 0, 2));             // (T, B, W)
        var charsNW = g.Add("Flatten", [charsTBW], null, Int("axis", 2));                                // (N = T*B, W)
        var charsWN = g.Add("Transpose", [charsNW], null, Ints("perm", 1, 0));                           // (W, N)
        var table = g.AddInitializer("chars.embedding.weight", w.CharEmbedding, c.CharVocabSize, c.CharEmbeddingDim);
        var x = g.Add("Gather", [table, charsWN], null, Int("axis", 0));                                 // (W, N, Ec)

        var lengthsTB = g.Add("Transpose", [OnnxNames.CharLengths], null, Ints("perm", 1, 0));           // (T, B)
        var flat = g.AddInitializer("chars.const_shape_m1", [-1L], 1);
        var lengthsN = g.Add("Reshape", [lengthsTB, flat]);                                             // (N)
        // As for sentences: a word without characters runs one step (on the padding character) and is then zeroed.
        var one = g.AddInitializer("chars.const_one", [1L]);
        var zero = g.AddInitializer("chars.const_zero", [0L]);
        var sequenceLens = g.Add("Cast", [g.Add("Max", [lengthsN, one])], "chars.sequence_lens", Int("to", (long)DataType.Int32)); // (N) int32

        var (W, R, B) = w.CharRnn();
        var weights = g.AddInitializer("chars.rnn_l0.W", W, 2, G * Hc, c.CharEmbeddingDim);
        var recurrent = g.AddInitializer("chars.rnn_l0.R", R, 2, G * Hc, Hc);
        var bias = g.AddInitializer("chars.rnn_l0.B", B, 2, 2 * G * Hc);
        var outputs = AddRecurrent(g, "chars.rnn_l0", c.Cell, bidirectional: true, Hc, x, weights, recurrent, bias, sequenceLens, "", ""); // Y_h (2, N, Hc)

        var hN2H = g.Add("Transpose", [outputs[1]], null, Ints("perm", 1, 0, 2));                      // (N, 2, Hc)
        var mergeDirections = g.AddInitializer("chars.const_shape_0_m1", [0L, -1L], 2);
        var features = g.Add("Reshape", [hN2H, mergeDirections]);                                      // (N, 2Hc), forward first
        var axis1 = g.AddInitializer("chars.const_axes_1", [1L], 1);
        var nonEmpty = g.Add("Cast", [g.Add("Unsqueeze", [g.Add("Greater", [lengthsN, zero]), axis1])], null, Int("to", (long)DataType.Float)); // (N, 1)
        var masked = g.Add("Mul", [features, nonEmpty]);                                               // (N, 2Hc)

        var featureSize = g.AddInitializer("chars.const_feature_size", [(long)(2 * Hc)], 1);
        var shapeTBF = g.Add("Concat", [g.Add("Shape", [idsTB]), featureSize], null, Int("axis", 0));  // [T, B, 2Hc]
        return g.Add("Reshape", [masked, shapeTBF], "chars.features");                                 // (T, B, 2Hc)
    }

    /// <summary>
    /// <c>layer_hidden_states</c> (B, T, L, D*H): each layer's Y, already (T, B, D*H) and zero past each row's length, stacked
    /// on a new layer axis; zero-length rows (which took one clamped step) are zeroed like <c>hidden_states</c>.
    /// </summary>
    private static void AddLayerStates(OnnxGraphBuilder g, string[] layerOutputs, string nonEmpty, int F)
    {
        var axis2 = g.AddInitializer("const_axes_2", [2L], 1);
        var perLayer = layerOutputs.Select(y => g.Add("Unsqueeze", [y, axis2])).ToArray();              // L × (T, B, 1, D*H)
        var stacked = perLayer.Length == 1 ? perLayer[0] : g.Add("Concat", perLayer, null, Int("axis", 2)); // (T, B, L, D*H)
        var bt = g.Add("Transpose", [stacked], null, Ints("perm", 1, 0, 2, 3));                        // (B, T, L, D*H)
        var axes123 = g.AddInitializer("const_axes_1_2_3", [1L, 2L, 3L], 3);
        var keepRows = g.Add("Cast", [g.Add("Unsqueeze", [nonEmpty, axes123])], null, Int("to", (long)DataType.Float)); // (B, 1, 1, 1)
        g.Add("Mul", [bt, keepRows], OnnxNames.LayerHiddenStates);                                      // (B, T, L, D*H)
        g.AddOutput(OnnxNames.LayerHiddenStates, DataType.Float, OnnxNames.Batch, OnnxNames.Seq, layerOutputs.Length, F);
    }

    /// <summary>
    /// One ONNX RNN/LSTM/GRU operator named after <paramref name="layer"/> (<c>{layer}.Y</c>, <c>{layer}.Y_h</c>, and
    /// <c>{layer}.Y_c</c> for an LSTM) with torch's semantics; empty <paramref name="sequenceLens"/>, <paramref name="h0"/> or
    /// <paramref name="c0"/> omit that input. Returns the output names.
    /// </summary>
    internal static string[] AddRecurrent(OnnxGraphBuilder g, string layer, RnnCellType cell, bool bidirectional, int hiddenSize,
        string x, string W, string R, string bias, string sequenceLens, string h0, string c0)
    {
        int D = bidirectional ? 2 : 1;
        var attributes = new List<Onnx.AttributeProto>
        {
            Int("hidden_size", hiddenSize),
            String("direction", bidirectional ? "bidirectional" : "forward"),
        };
        string op;
        switch (cell)
        {
            case RnnCellType.Lstm:
                op = "LSTM";
                break;
            case RnnCellType.Gru:
                op = "GRU";
                attributes.Add(Int("linear_before_reset", 1));                                   // torch's GRU
                break;
            default:
                op = "RNN";
                attributes.Add(Strings("activations", Enumerable.Repeat(cell == RnnCellType.RnnRelu ? "Relu" : "Tanh", D).ToArray()));
                break;
        }

        string[] outputs = cell == RnnCellType.Lstm ? [$"{layer}.Y", $"{layer}.Y_h", $"{layer}.Y_c"] : [$"{layer}.Y", $"{layer}.Y_h"];
        return g.AddMulti(op, [x, W, R, bias, sequenceLens, h0, c0], outputs, [.. attributes]);
    }

    /// <summary>Rows <c>[k*D, (k+1)*D)</c> of a <c>(L*D, B, H)</c> state input (the input itself for one layer).</summary>
    internal static string LayerState(OnnxGraphBuilder g, string state, int k, int L, int D)
    {
        if (L == 1)
            return state;
        var starts = g.AddInitializer($"{state}_l{k}.starts", [(long)k * D], 1);
        var ends = g.AddInitializer($"{state}_l{k}.ends", [(long)(k + 1) * D], 1);
        var axes = g.AddInitializer($"{state}_l{k}.axes", [0L], 1);
        return g.Add("Slice", [state, starts, ends, axes], $"{state}_l{k}");
    }

    /// <summary>A zero-length row took one (clamped) step; its final state must be its initial state (zeros when absent).</summary>
    private static string KeepInitialWhenEmpty(OnnxGraphBuilder g, string state, string initial, string keep, string keepF) =>
        initial.Length == 0
            ? g.Add("Mul", [state, keepF], $"{state}_masked")
            : g.Add("Where", [keep, state, initial], $"{state}_masked");

    internal static void Concat(OnnxGraphBuilder g, string[] parts, string output)
    {
        if (parts.Length == 1)
            g.Add("Identity", [parts[0]], output);
        else
            g.Add("Concat", [.. parts], output, Int("axis", 0));
    }
}
