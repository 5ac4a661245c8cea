using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Export;

/// <summary>Checks an exported model against TorchSharp: runs both on the same sequences and reports the worst difference.</summary>
public static class OnnxParity
{
    /// <summary>
    /// Runs <paramref name="model"/> (evaluation mode, no gradients) and ONNX Runtime on the same batch and compares every
    /// output; <c>layer_hidden_states</c> (exported with <see cref="OnnxExportOptions.IncludeLayerStates"/>) is compared with
    /// <see cref="RnnStateProbe"/>'s hidden states.
    /// </summary>
    /// <param name="model">The TorchSharp model; its training/evaluation mode is restored afterwards.</param>
    /// <param name="onnx">The model's ONNX export (<see cref="OnnxExporter.Export(RnnSequenceModel, OnnxExportOptions?)"/>).</param>
    /// <param name="sequences">Token-id sequences, one batch, any lengths (0 included) in any order.</param>
    /// <returns>The worst absolute difference per output and overall.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are no sequences, an id is outside the model's vocabulary, or the model reads characters (use the overload with characters).</exception>
    public static ParityReport Verify(RnnSequenceModel model, byte[] onnx, IReadOnlyList<int[]> sequences) => Verify(model, onnx, sequences, null);

    /// <summary>
    /// As <see cref="Verify(RnnSequenceModel, byte[], IReadOnlyList{int[]})"/>, for a model with a character encoder: both runs
    /// also get each word's characters (ONNX inputs <c>char_ids</c> and <c>char_lengths</c>, padded to the batch's longest word).
    /// </summary>
    /// <param name="model">The TorchSharp model; its training/evaluation mode is restored afterwards.</param>
    /// <param name="onnx">The model's ONNX export.</param>
    /// <param name="sequences">Word-id sequences, one batch, any lengths (0 included) in any order.</param>
    /// <param name="characters">The character ids of each word of each sequence (<c>characters[b][t]</c>, any length, 0 included), or <see langword="null"/> for a model without a character encoder.</param>
    /// <returns>The worst absolute difference per output and overall.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">There are no sequences, an id is out of range, the characters do not match the sequences, or they are missing or given when the model does not read them.</exception>
    public static ParityReport Verify(RnnSequenceModel model, byte[] onnx, IReadOnlyList<int[]> sequences, IReadOnlyList<int[][]>? characters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
            throw new ArgumentException("sequences: expected at least one sequence, got none.", nameof(sequences));
        var config = model.Config;
        for (int b = 0; b < sequences.Count; b++)
        {
            ArgumentNullException.ThrowIfNull(sequences[b], $"sequences[{b}]");
            int bad = Array.FindIndex(sequences[b], id => id < 0 || id >= config.VocabSize);
            if (bad >= 0)
                throw new ArgumentException($"sequences[{b}][{bad}]: expected an id in [0, {config.VocabSize}), got {sequences[b][bad]}.", nameof(sequences));
        }

        int B = sequences.Count, T = Math.Max(1, sequences.Max(s => s.Length));
        int LD = config.NumLayers * config.NumDirections, H = config.HiddenSize, F = config.FeatureSize, C = config.OutputSize;
        var lengths = sequences.Select(s => (long)s.Length).ToArray();
        var idsBT = new long[B * T];
        for (int b = 0; b < B; b++)
        {
            Array.Fill(idsBT, config.PadId, b * T, T);
            for (int t = 0; t < sequences[b].Length; t++)
                idsBT[b * T + t] = sequences[b][t];
        }
        var chars = PadCharacters(config, sequences, characters, T);

        var ortOutputs = RunOrt(onnx, config, idsBT, lengths, B, T, chars);
        var torchOutputs = RunTorch(model, idsBT, lengths, B, T, chars, ortOutputs.ContainsKey(OnnxNames.LayerHiddenStates));

        var diffs = new Dictionary<string, double>(StringComparer.Ordinal);
        long labelMismatches = 0;
        foreach (var (name, expected) in torchOutputs)
        {
            var actual = ortOutputs[name];
            if (actual.Length != expected.Length)
                throw new InvalidOperationException($"ONNX output '{name}': expected {expected.Length} values, got {actual.Length}.");
            if (name == OnnxNames.PredictedLabel)
            {
                labelMismatches = CountMismatches(name, expected, actual, config, lengths, T);
                continue;
            }
            diffs[name] = MaxAbsDiff(name, expected, actual, config, lengths, T);
        }

        string primary = config.Task == RnnTask.LanguageModel ? OnnxNames.LogProbs : OnnxNames.Probabilities;
        return new ParityReport(diffs, primary, B, lengths.Sum(), labelMismatches);

        // Per-token outputs compare only positions t < length; per-sequence ones compare everything.
        static bool PerToken(string name, RnnModelConfig config) =>
            name is OnnxNames.HiddenStates or OnnxNames.LayerHiddenStates or OnnxNames.LogProbs
            || (config.Task == RnnTask.TokenClassification && name is OnnxNames.Probabilities or OnnxNames.PredictedLabel);

        double MaxAbsDiff(string name, float[] expected, float[] actual, RnnModelConfig config, long[] lengths, int T)
        {
            double worst = 0;
            bool perToken = PerToken(name, config);
            int width = expected.Length / (perToken ? B * T : (name is OnnxNames.FinalH or OnnxNames.FinalC ? 1 : B));
            for (int i = 0; i < expected.Length; i++)
            {
                if (perToken && (i / width) % T >= lengths[(i / width) / T])
                    continue;
                worst = Math.Max(worst, Math.Abs((double)expected[i] - actual[i]));
            }
            return worst;
        }

        long CountMismatches(string name, float[] expected, float[] actual, RnnModelConfig config, long[] lengths, int T)
        {
            long count = 0;
            bool perToken = PerToken(name, config);
            for (int i = 0; i < expected.Length; i++)
            {
                if (perToken && i % T >= lengths[i / T])
                    continue;
                if (expected[i] != actual[i])
                    count++;
            }
            return count;
        }
    }

    /// <summary>Characters padded batch-major: ids (B, T, W) with W the longest word (at least 1) and lengths (B, T); null without a character encoder.</summary>
    private static (long[] Ids, long[] Lengths, int W)? PadCharacters(RnnModelConfig config, IReadOnlyList<int[]> sequences, IReadOnlyList<int[][]>? characters, int T)
    {
        if (characters is null)
        {
            return config.HasCharEncoder
                ? throw new ArgumentException($"characters: the model reads each word's characters (CharVocabSize {config.CharVocabSize}), got none.", nameof(characters))
                : null;
        }
        if (!config.HasCharEncoder)
            throw new ArgumentException("characters: the model has no character encoder (CharVocabSize 0), but characters were given.", nameof(characters));
        int B = sequences.Count;
        if (characters.Count != B)
            throw new ArgumentException($"characters: expected one entry per sequence ({B}), got {characters.Count}.", nameof(characters));
        for (int b = 0; b < B; b++)
        {
            if (characters[b] is null || characters[b].Length != sequences[b].Length || characters[b].Any(word => word is null))
                throw new ArgumentException($"characters[{b}]: expected the characters of each of the sequence's {sequences[b].Length} words.", nameof(characters));
            for (int t = 0; t < characters[b].Length; t++)
            {
                int bad = Array.FindIndex(characters[b][t], id => id < 0 || id >= config.CharVocabSize);
                if (bad >= 0)
                    throw new ArgumentException($"characters[{b}][{t}][{bad}]: expected a character id in [0, {config.CharVocabSize}), got {characters[b][t][bad]}.", nameof(characters));
            }
        }
        int W = Math.Max(1, characters.SelectMany(words => words).Select(word => word.Length).DefaultIfEmpty(0).Max());
        var ids = new long[B * T * W];
        var lengths = new long[B * T];
        for (int b = 0; b < B; b++)
        {
            for (int t = 0; t < characters[b].Length; t++)
            {
                lengths[b * T + t] = characters[b][t].Length;
                for (int k = 0; k < characters[b][t].Length; k++)
                    ids[(b * T + t) * W + k] = characters[b][t][k];
            }
        }
        return (ids, lengths, W);
    }

    /// <summary>TorchSharp's outputs, laid out as the ONNX outputs are (batch-major), as flat float arrays.</summary>
    private static Dictionary<string, float[]> RunTorch(RnnSequenceModel model, long[] idsBT, long[] lengths, int B, int T, (long[] Ids, long[] Lengths, int W)? chars, bool layerStates)
    {
        var config = model.Config;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var device = model.parameters().First().device;
            var ids = torch.tensor(idsBT, [B, T]).t().contiguous().to(device);                 // (T, B)
            var lengthsTensor = torch.tensor(lengths);
            var output = chars is { } ch
                ? model.forward(ids, lengthsTensor, (
                    torch.tensor(ch.Ids, [B, T, ch.W]).transpose(0, 1).contiguous().to(device),                // (T, B, W)
                    torch.tensor(ch.Lengths, [B, T]).t().contiguous().to(device)))                             // (T, B)
                : model.forward(ids, lengthsTensor);
            var result = new Dictionary<string, float[]>(StringComparer.Ordinal)
            {
                [OnnxNames.HiddenStates] = Floats(output.HiddenStates.transpose(0, 1)),            // (B, T, F)
                [OnnxNames.LastHidden] = Floats(LastLayer(output.FinalHidden, config)),           // (B, F)
            };
            if (layerStates)
                result[OnnxNames.LayerHiddenStates] = Floats(RnnStateProbe.Run(model, ids, lengthsTensor).Hidden.transpose(0, 1)); // (B, T, L, D*H)
            switch (config.Task)
            {
                case RnnTask.SequenceClassification:
                    result[OnnxNames.Probabilities] = Floats(output.Logits.softmax(-1));          // (B, C)
                    result[OnnxNames.PredictedLabel] = Floats(output.Logits.argmax(-1));          // (B)
                    break;
                case RnnTask.TokenClassification:
                    var logits = output.Logits.transpose(0, 1);                                    // (B, T, C)
                    result[OnnxNames.Probabilities] = Floats(logits.softmax(-1));
                    result[OnnxNames.PredictedLabel] = Floats(logits.argmax(-1));                 // (B, T)
                    break;
                default:
                    result[OnnxNames.LogProbs] = Floats(output.Logits.transpose(0, 1).log_softmax(-1)); // (B, T, V)
                    result[OnnxNames.FinalH] = Floats(output.FinalHidden);                        // (L*D, B, H)
                    if (output.FinalCell is { } cell)
                        result[OnnxNames.FinalC] = Floats(cell);
                    break;
            }
            return result;
        }
        finally
        {
            model.train(wasTraining);
        }

        static Tensor LastLayer(Tensor hN, RnnModelConfig c)
        {
            long b = hN.shape[1];
            return hN.view(c.NumLayers, c.NumDirections, b, c.HiddenSize)[-1].permute(1, 0, 2).reshape(b, c.FeatureSize);
        }

        static float[] Floats(Tensor t) => t.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }

    private static Dictionary<string, float[]> RunOrt(byte[] onnx, RnnModelConfig config, long[] idsBT, long[] lengths, int B, int T, (long[] Ids, long[] Lengths, int W)? chars)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        var names = new List<string> { OnnxNames.InputIds, OnnxNames.Lengths };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(idsBT, [B, T]),
            OrtValue.CreateTensorValueFromMemory(lengths, [B]),
        };
        if (chars is { } ch)
        {
            names.AddRange([OnnxNames.CharIds, OnnxNames.CharLengths]);
            values.Add(OrtValue.CreateTensorValueFromMemory(ch.Ids, [B, T, ch.W]));
            values.Add(OrtValue.CreateTensorValueFromMemory(ch.Lengths, [B, T]));
        }
        try
        {
            if (config.Task == RnnTask.LanguageModel)
            {
                long[] stateShape = [config.NumLayers * config.NumDirections, B, config.HiddenSize];
                names.Add(OnnxNames.InitialH);
                values.Add(OrtValue.CreateTensorValueFromMemory(new float[stateShape[0] * B * config.HiddenSize], stateShape));
                if (config.Cell == RnnCellType.Lstm)
                {
                    names.Add(OnnxNames.InitialC);
                    values.Add(OrtValue.CreateTensorValueFromMemory(new float[stateShape[0] * B * config.HiddenSize], stateShape));
                }
            }

            var outputNames = session.OutputMetadata.Keys.ToArray();
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, names, values, outputNames);
            var map = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (int i = 0; i < outputNames.Length; i++)
            {
                var value = results[i];
                map[outputNames[i]] = value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64
                    ? value.GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v).ToArray()
                    : value.GetTensorDataAsSpan<float>().ToArray();
            }
            return map;
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
        }
    }
}
