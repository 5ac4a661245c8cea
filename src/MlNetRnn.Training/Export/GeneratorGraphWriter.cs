using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Generation;
using TorchSharp.Modules;
using static MlNetRnn.Training.Export.OnnxGraphBuilder;
using DataType = MlNetRnn.Training.Export.Onnx.TensorProto.Types.DataType;

namespace MlNetRnn.Training.Export;

/// <summary>Writes the encoder and decoder-step graphs of a generator package (names from <see cref="GeneratorGraphNames"/>).</summary>
internal static class GeneratorGraphWriter
{
    public const string StateH = "state_h";
    public const string StateC = "state_c";
    public const string NextPrefix = "next_";
    private const string Batch = OnnxNames.Batch;
    private const string SourceLength = "source_length";

    /// <summary>The decoder's states as the manifest lists them: hidden, then cell for an LSTM.</summary>
    public static IReadOnlyList<GeneratorState> States(RnnCellType cell, int layers, int hiddenSize) =>
        (cell == RnnCellType.Lstm ? new[] { StateH, StateC } : [StateH])
            .Select(name => new GeneratorState { Name = name, NextName = NextPrefix + name, Shape = [layers, -1, hiddenSize] })
            .ToArray();

    /// <summary>
    /// Encoder of an encoder–decoder: <c>source_ids</c> (B, S) + <c>source_lengths</c> (B) → <c>encoder_outputs</c> (B, S, D*H)
    /// and the bridged initial states. Lengths are clamped to ≥ 1, so an empty source is read as one padding token, as in TorchSharp.
    /// </summary>
    public static void WriteEncoder(OnnxGraphBuilder g, EncoderDecoderModel model)
    {
        var c = model.Config;
        var encoder = model.Encoder;
        var stack = encoder.Recurrent;
        int L = c.EncoderLayers, H = c.HiddenSize;
        g.AddInput(GeneratorGraphNames.SourceIds, DataType.Int64, Batch, SourceLength);
        g.AddInput(GeneratorGraphNames.SourceLengths, DataType.Int64, Batch);

        var one = g.AddInitializer("const_one", [1L]);
        var mergeDirections = g.AddInitializer("const_shape_0_0_m1", [0L, 0L, -1L], 3);
        var flatten = g.AddInitializer("const_shape_0_m1", [0L, -1L], 2);
        var clamped = g.Add("Max", [GeneratorGraphNames.SourceLengths, one]);                                  // (B)
        var sequenceLens = g.Add("Cast", [clamped], "sequence_lens", Int("to", (long)DataType.Int32));         // (B) int32
        var idsSB = g.Add("Transpose", [GeneratorGraphNames.SourceIds], null, Ints("perm", 1, 0));             // (S, B)
        var embedding = g.AddInitializer("encoder.embedding.weight", Read("encoder.embedding.weight", encoder.Embedding.weight!), c.SourceVocabSize, c.EmbeddingDim);
        var x = g.Add("Gather", [embedding, idsSB], null, Int("axis", 0));                                     // (S, B, E)

        string finalH = "", finalC = "";
        for (int k = 0; k < L; k++)
        {
            var (W, R, B) = LayerWeights(g, $"encoder_l{k}", stack, k);
            var outputs = RnnGraphWriter.AddRecurrent(g, $"encoder_l{k}", c.Cell, c.Bidirectional, H, x, W, R, B, sequenceLens, "", "");
            x = g.Add("Reshape", [g.Add("Transpose", [outputs[0]], null, Ints("perm", 0, 2, 1, 3)), mergeDirections]); // (S, B, D*H)
            finalH = outputs[1];                                                                               // (D, B, H)
            finalC = outputs.Length > 2 ? outputs[2] : "";
        }

        g.Add("Transpose", [x], GeneratorGraphNames.EncoderOutputs, Ints("perm", 1, 0, 2));                    // (B, S, D*H)
        g.AddOutput(GeneratorGraphNames.EncoderOutputs, DataType.Float, Batch, SourceLength, c.EncoderOutputSize);

        // Bridge input: the last layer's final states, directions concatenated (forward first), as in SourceEncoder.
        string Features(string state) => g.Add("Reshape", [g.Add("Transpose", [state], null, Ints("perm", 1, 0, 2)), flatten]); // (B, D*H)
        var hFeatures = Features(finalH);
        WriteBridge(g, model.Bridge, "bridge", hFeatures, finalC.Length > 0 ? Features(finalC) : hFeatures);
    }

    /// <summary>Encoder of a conditioned generator: <c>condition</c> (B, C) → the bridged initial states.</summary>
    public static void WriteConditionEncoder(OnnxGraphBuilder g, ConditionedGeneratorModel model)
    {
        g.AddInput(GeneratorGraphNames.Condition, DataType.Float, Batch, model.Config.ConditionSize);
        WriteBridge(g, model.Bridge, "bridge", GeneratorGraphNames.Condition, GeneratorGraphNames.Condition);
    }

    /// <summary>
    /// One decoder step: <c>previous_token</c> (B) + states (+ <c>encoder_outputs</c>, <c>source_lengths</c> with attention,
    /// + <c>condition</c> when fed at the first step) → <c>log_probs</c> (B, V) and the next states. Each layer is the ONNX
    /// RNN/LSTM/GRU operator over one time step from the given state.
    /// </summary>
    public static void WriteDecoderStep(OnnxGraphBuilder g, GenerationDecoder decoder, RnnCellType cell, int layers, int hiddenSize)
    {
        int L = layers, H = hiddenSize, V = decoder.VocabSize;
        bool lstm = cell == RnnCellType.Lstm, attention = decoder.EncoderSize > 0;
        g.AddInput(GeneratorGraphNames.PreviousToken, DataType.Int64, Batch);
        g.AddInput(StateH, DataType.Float, L, Batch, H);
        if (lstm)
            g.AddInput(StateC, DataType.Float, L, Batch, H);
        if (attention)
        {
            g.AddInput(GeneratorGraphNames.EncoderOutputs, DataType.Float, Batch, SourceLength, decoder.EncoderSize);
            g.AddInput(GeneratorGraphNames.SourceLengths, DataType.Int64, Batch);
        }

        if (decoder.StepConditionSize > 0)
            g.AddInput(GeneratorGraphNames.Condition, DataType.Float, Batch, decoder.StepConditionSize);

        var axis0 = g.AddInitializer("const_axes_0", [0L], 1);
        var axis1 = g.AddInitializer("const_axes_1", [1L], 1);
        var embedding = g.AddInitializer("decoder.embedding.weight", Read("decoder.embedding.weight", decoder.Embedding.weight!), V, decoder.Embedding.weight!.shape[1]);
        var x = g.Add("Gather", [embedding, GeneratorGraphNames.PreviousToken], null, Int("axis", 0));       // (B, E)
        if (decoder.StepConditionSize > 0)
            x = g.Add("Concat", [x, GeneratorGraphNames.Condition], null, Int("axis", 1));                   // (B, E + C)
        x = g.Add("Unsqueeze", [x, axis0]);                                                                   // (1, B, In)

        var nextH = new string[L];
        var nextC = new string[L];
        for (int k = 0; k < L; k++)
        {
            var (W, R, B) = LayerWeights(g, $"decoder_l{k}", decoder.Recurrent, k);
            string h0 = RnnGraphWriter.LayerState(g, StateH, k, L, 1);
            string c0 = lstm ? RnnGraphWriter.LayerState(g, StateC, k, L, 1) : "";
            var outputs = RnnGraphWriter.AddRecurrent(g, $"decoder_l{k}", cell, false, H, x, W, R, B, "", h0, c0);
            x = g.Add("Squeeze", [outputs[0], axis1]);                                                        // (1, B, H)
            nextH[k] = outputs[1];
            if (lstm)
                nextC[k] = outputs[2];
        }

        RnnGraphWriter.Concat(g, nextH, NextPrefix + StateH);
        if (lstm)
            RnnGraphWriter.Concat(g, nextC, NextPrefix + StateC);

        var top = g.Add("Squeeze", [x, axis0]);                                                               // (B, H)
        if (attention)
            top = WriteAttention(g, decoder, top, axis1);

        var logits = Gemm(g, top, decoder.Output, "decoder.output");                                         // (B, V)
        g.Add("LogSoftmax", [logits], GeneratorGraphNames.LogProbabilities, Int("axis", -1));
        g.AddOutput(GeneratorGraphNames.LogProbabilities, DataType.Float, Batch, V);
        g.AddOutput(NextPrefix + StateH, DataType.Float, L, Batch, H);
        if (lstm)
            g.AddOutput(NextPrefix + StateC, DataType.Float, L, Batch, H);
    }

    /// <summary>Luong "general" attention as in <see cref="GenerationDecoder"/>; returns <c>tanh(W_c [context; h] + b_c)</c> (B, H).</summary>
    private static string WriteAttention(OnnxGraphBuilder g, GenerationDecoder decoder, string top, string axis1)
    {
        // score_s = h · (W_a e_s) = (h W_a) · e_s: projecting the query once per step, instead of every encoder output at
        // every step, costs H·F per hypothesis rather than S·H·F (the same numbers up to float rounding).
        var keysWeight = decoder.AttentionKeys!.weight!;                                                      // (H, F)
        long H = keysWeight.shape[0], F = keysWeight.shape[1];
        var keysMatrix = g.AddInitializer("decoder.attention_keys.weight", Read("decoder.attention_keys.weight", keysWeight), H, F);
        var query = g.Add("MatMul", [top, keysMatrix]);                                                        // (B, F)
        var axis2 = g.AddInitializer("const_axes_2", [2L], 1);
        var scores = g.Add("Squeeze", [g.Add("MatMul", [GeneratorGraphNames.EncoderOutputs, g.Add("Unsqueeze", [query, axis2])]), axis2]); // (B, S)

        // Valid positions: s < max(length, 1); the others get −∞ before the softmax.
        var zero = g.AddInitializer("const_scalar_zero", [0L]);
        var oneScalar = g.AddInitializer("const_scalar_one", [1L]);
        var one = g.AddInitializer("const_one", [1L], 1);
        var sourceLength = g.Add("Gather", [g.Add("Shape", [GeneratorGraphNames.EncoderOutputs]), oneScalar], null, Int("axis", 0)); // scalar S
        var positions = g.Add("Range", [zero, sourceLength, oneScalar]);                                       // (S)
        var lengths = g.Add("Unsqueeze", [g.Add("Max", [GeneratorGraphNames.SourceLengths, one]), axis1]);  // (B, 1)
        var valid = g.Add("Less", [positions, lengths]);                                                     // (B, S)
        var minusInfinity = g.AddInitializer("const_minus_infinity", [float.NegativeInfinity]);
        var weights = g.Add("Softmax", [g.Add("Where", [valid, scores, minusInfinity])], null, Int("axis", -1)); // (B, S)
        var context = g.Add("Squeeze", [g.Add("MatMul", [g.Add("Unsqueeze", [weights, axis1]), GeneratorGraphNames.EncoderOutputs]), axis1]); // (B, F)
        var combined = g.Add("Concat", [context, top], null, Int("axis", 1));                                 // (B, F + H)
        return g.Add("Tanh", [Gemm(g, combined, decoder.AttentionCombine!, "decoder.attention_combine")]);  // (B, H)
    }

    /// <summary>Every state of the bridge: <c>tanh(input · Wᵀ + b)</c> (B, L*H) → (L, B, H), named after the state.</summary>
    private static void WriteBridge(OnnxGraphBuilder g, StateBridge bridge, string prefix, string forHidden, string forCell)
    {
        var shape = g.AddInitializer($"{prefix}.shape", [0L, bridge.Layers, bridge.HiddenSize], 3);
        void State(Linear linear, string input, string name)
        {
            var flat = g.Add("Tanh", [Gemm(g, input, linear, $"{prefix}.{name}")]);                           // (B, L*H)
            g.Add("Transpose", [g.Add("Reshape", [flat, shape])], name, Ints("perm", 1, 0, 2));               // (L, B, H)
            g.AddOutput(name, DataType.Float, bridge.Layers, Batch, bridge.HiddenSize);
        }

        State(bridge.Hidden, forHidden, StateH);
        if (bridge.Cell is { } cell)
            State(cell, forCell, StateC);
    }

    /// <summary><c>input · Wᵀ + b</c> of a torch linear layer (Gemm with transB).</summary>
    private static string Gemm(OnnxGraphBuilder g, string input, Linear linear, string name)
    {
        var weight = linear.weight!;
        var w = g.AddInitializer($"{name}.weight", Read($"{name}.weight", weight), weight.shape[0], weight.shape[1]);
        string[] inputs = linear.bias is { } bias
            ? [input, w, g.AddInitializer($"{name}.bias", Read($"{name}.bias", bias), bias.shape[0])]
            : [input, w];
        return g.Add("Gemm", inputs, null, Int("transB", 1));
    }

    private static (string W, string R, string B) LayerWeights(OnnxGraphBuilder g, string layer, RecurrentStack stack, int k)
    {
        int D = stack.Directions, H = stack.HiddenSize, G = RnnWeights.GateOrderOf(stack.Cell).Length;
        int inputSize = k == 0 ? stack.InputSize : D * H;
        return (
            g.AddInitializer($"{layer}.W", RnnWeights.OnnxW(stack.Cell, stack.Bidirectional, k, stack.Parameter), D, G * H, inputSize),
            g.AddInitializer($"{layer}.R", RnnWeights.OnnxR(stack.Cell, stack.Bidirectional, k, stack.Parameter), D, G * H, H),
            g.AddInitializer($"{layer}.B", RnnWeights.OnnxB(stack.Cell, stack.Bidirectional, k, stack.Parameter), D, 2 * G * H));
    }

    private static float[] Read(string name, TorchSharp.torch.Tensor parameter) => RnnWeights.ReadFinite(name, parameter, "model");
}
