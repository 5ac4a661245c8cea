using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Generation;
using MlNetRnn.Transforms.Generation;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Export;

/// <summary>
/// Checks a generator package against TorchSharp: ONNX Runtime runs the encoder and then the decoder step, fed with its own
/// states, along TorchSharp's greedy decode of every row; every step's log-probabilities are compared with TorchSharp's
/// teacher-forced ones, and ONNX Runtime's greedy choice with TorchSharp's.
/// </summary>
public static class GeneratorParity
{
    /// <summary>Verifies an encoder–decoder package on a batch of sources.</summary>
    /// <param name="model">The TorchSharp model (run in evaluation mode without gradients; its mode is restored).</param>
    /// <param name="package">Its generator package (<see cref="GeneratorExporter"/>).</param>
    /// <param name="sources">Source id sequences, one batch, any lengths (0 included) in any order.</param>
    /// <param name="maxLength">The most tokens to decode per row (EOS not counted), ≥ 1.</param>
    /// <param name="optimization">ONNX Runtime's graph optimization level (default all, as the ML.NET transformer runs it);
    /// <see cref="GraphOptimizationLevel.ORT_DISABLE_ALL"/> runs the graphs exactly as exported.</param>
    /// <returns>
    /// The worst absolute difference of <c>encoder_outputs</c> (valid positions), every initial state and <c>log_probs</c>
    /// (every decoded step of every row; the primary output); <see cref="ParityReport.LabelMismatches"/> counts the rows
    /// whose greedy decode differs; <see cref="ParityReport.Tokens"/> counts the compared steps.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are no sources or an id is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    /// <exception cref="InvalidDataException">The package is not a generator package.</exception>
    public static ParityReport Verify(EncoderDecoderModel model, byte[] package, IReadOnlyList<int[]> sources, int maxLength,
        GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        ArgumentNullException.ThrowIfNull(package);
        var decoded = GeneratorSearch.Greedy(model, sources, maxLength);
        var (manifest, encoderBytes, decoderBytes) = GeneratorExporter.ReadPackage(package);
        return GeneratorSearch.Run(model, () =>
        {
            var device = GeneratorSearch.DeviceOf(model);
            var (ids, lengths) = GeneratorBatches.Sources(sources, model.Config.SourcePadId, device);
            var (start, encoderOutputs) = model.Start(ids, lengths);
            var (inputs, _, _) = GeneratorBatches.Targets(decoded.Select(d => d.Tokens).ToArray(), device);
            var (logits, _) = model.Decoder.Forward(inputs, start.State, start.Memory, null);

            int B = sources.Count, S = (int)ids.shape[0];
            var idsBS = Floats(ids.t()).Select(v => (long)v).ToArray();
            long[] lengthValues = [.. sources.Select(s => (long)s.Length)];
            var diffs = new Dictionary<string, double>(StringComparer.Ordinal);
            using var encoder = Session(encoderBytes, optimization);
            using var idsValue = OrtValue.CreateTensorValueFromMemory(idsBS, [B, S]);
            using var lengthsValue = OrtValue.CreateTensorValueFromMemory(lengthValues, [B]);
            var ort = Run(encoder, [GeneratorGraphNames.SourceIds, GeneratorGraphNames.SourceLengths], [idsValue, lengthsValue]);

            // encoder_outputs: positions s < max(length, 1) (the rest is zero in both, but only the valid part matters).
            float[] expectedOutputs = Floats(encoderOutputs), actualOutputs = ort[GeneratorGraphNames.EncoderOutputs].Values;
            int F = model.Config.EncoderOutputSize;
            diffs[GeneratorGraphNames.EncoderOutputs] = MaxAbs(expectedOutputs, actualOutputs, i => i / F % S < Math.Max(1, lengthValues[i / F / S]));
            CompareStates(manifest, start.State, ort, diffs);

            var outputs = ort[GeneratorGraphNames.EncoderOutputs];
            (string, Func<OrtValue>)[] memory = manifest.Attention
                ? [(GeneratorGraphNames.EncoderOutputs, outputs.ToOrtValue), (GeneratorGraphNames.SourceLengths, () => OrtValue.CreateTensorValueFromMemory(lengthValues, [B]))]
                : [];
            return Compare(manifest, decoderBytes, decoded, logits, ort, memory, null, diffs, optimization);
        });
    }

    /// <summary>Verifies a conditioned-generator package on a batch of conditions.</summary>
    /// <param name="model">The TorchSharp model (run in evaluation mode without gradients; its mode is restored).</param>
    /// <param name="package">Its generator package (<see cref="GeneratorExporter"/>).</param>
    /// <param name="conditions">Condition vectors, one batch.</param>
    /// <param name="maxLength">The most tokens to decode per row (EOS not counted), ≥ 1.</param>
    /// <param name="optimization">ONNX Runtime's graph optimization level (default all, as the ML.NET transformer runs it);
    /// <see cref="GraphOptimizationLevel.ORT_DISABLE_ALL"/> runs the graphs exactly as exported.</param>
    /// <returns>As for the encoder–decoder, without <c>encoder_outputs</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are no conditions or one has the wrong size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    /// <exception cref="InvalidDataException">The package is not a generator package.</exception>
    public static ParityReport Verify(ConditionedGeneratorModel model, byte[] package, IReadOnlyList<float[]> conditions, int maxLength,
        GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        ArgumentNullException.ThrowIfNull(package);
        var decoded = GeneratorSearch.Greedy(model, conditions, maxLength);
        var (manifest, encoderBytes, decoderBytes) = GeneratorExporter.ReadPackage(package);
        return GeneratorSearch.Run(model, () =>
        {
            var device = GeneratorSearch.DeviceOf(model);
            var condition = GeneratorBatches.Conditions(conditions, device);
            var start = model.Start(condition);
            var (inputs, _, _) = GeneratorBatches.Targets(decoded.Select(d => d.Tokens).ToArray(), device);
            var (logits, _) = model.Decoder.Forward(inputs, start.State, null, start.FirstStepCondition);

            int B = conditions.Count, C = model.Config.ConditionSize;
            var conditionValues = Floats(condition);
            var diffs = new Dictionary<string, double>(StringComparer.Ordinal);
            using var encoder = Session(encoderBytes, optimization);
            using var conditionValue = OrtValue.CreateTensorValueFromMemory(conditionValues, [B, C]);
            var ort = Run(encoder, [GeneratorGraphNames.Condition], [conditionValue]);
            CompareStates(manifest, start.State, ort, diffs);
            var firstStep = manifest.ConditionAtFirstStep ? new HostTensor(conditionValues, [B, C]) : null;
            return Compare(manifest, decoderBytes, decoded, logits, ort, [], firstStep, diffs, optimization);
        });
    }

    /// <summary>
    /// Runs the decoder step along the decoded tokens from ONNX Runtime's own initial states and compares every step that
    /// TorchSharp's greedy decode took.
    /// </summary>
    private static ParityReport Compare(GeneratorManifest manifest, byte[] decoderBytes, IReadOnlyList<GeneratedSequence> decoded, Tensor teacherLogits,
        Dictionary<string, HostTensor> encoderOutputs, IReadOnlyList<(string Name, Func<OrtValue> Create)> memory, HostTensor? firstStepCondition,
        Dictionary<string, double> diffs, GraphOptimizationLevel optimization)
    {
        int B = decoded.Count, T = (int)teacherLogits.shape[0], V = (int)teacherLogits.shape[2];
        float[] expected = Floats(teacherLogits.log_softmax(-1));                          // (T, B, V)
        var states = manifest.States.ToDictionary(s => s.Name, s => encoderOutputs[s.Name]);
        using var decoder = Session(decoderBytes, optimization);
        double worst = 0;
        long steps = 0;
        var mismatched = new bool[B];
        for (int t = 0; t < T; t++)
        {
            long[] previous = [.. decoded.Select(d => t == 0 ? TargetVocabulary.BosId : t - 1 < d.Tokens.Length ? d.Tokens[t - 1] : TargetVocabulary.EosId)];
            var names = new List<string> { GeneratorGraphNames.PreviousToken };
            var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(previous, [B]) };
            try
            {
                foreach (var state in manifest.States)
                {
                    names.Add(state.Name);
                    values.Add(states[state.Name].ToOrtValue());
                }

                foreach (var (name, create) in memory)
                {
                    names.Add(name);
                    values.Add(create());
                }

                if (firstStepCondition is { } condition)
                {
                    names.Add(GeneratorGraphNames.Condition);
                    values.Add((t == 0 ? condition : new HostTensor(new float[condition.Values.Length], condition.Shape)).ToOrtValue());
                }

                var results = Run(decoder, [.. names], [.. values]);
                float[] actual = results[GeneratorGraphNames.LogProbabilities].Values;    // (B, V)
                for (int b = 0; b < B; b++)
                {
                    var tokens = decoded[b].Tokens;
                    if (t > tokens.Length)
                        continue;
                    steps++;
                    for (int v = 0; v < V; v++)
                        worst = Math.Max(worst, Math.Abs((double)expected[(t * B + b) * V + v] - actual[b * V + v]));
                    int choice = ArgMax(actual.AsSpan(b * V, V));
                    bool same = t < tokens.Length ? choice == tokens[t] : decoded[b].Finished == (choice == TargetVocabulary.EosId);
                    mismatched[b] |= !same;
                }

                foreach (var state in manifest.States)
                    states[state.Name] = results[state.NextName];
            }
            finally
            {
                foreach (var value in values)
                    value.Dispose();
            }
        }

        diffs[GeneratorGraphNames.LogProbabilities] = worst;
        return new ParityReport(diffs, GeneratorGraphNames.LogProbabilities, B, steps, mismatched.Count(m => m));
    }

    private static void CompareStates(GeneratorManifest manifest, DecoderState initial, Dictionary<string, HostTensor> ort, Dictionary<string, double> diffs)
    {
        foreach (var state in manifest.States)
        {
            var torchState = state.Name == GeneratorGraphWriter.StateC ? initial.C! : initial.H;
            diffs[state.Name] = MaxAbs(Floats(torchState), ort[state.Name].Values, _ => true);
        }
    }

    private static int ArgMax(ReadOnlySpan<float> logProbs)
    {
        int best = -1;
        for (int v = 0; v < logProbs.Length; v++)
            if (v is not TargetVocabulary.PadId and not TargetVocabulary.BosId && (best < 0 || logProbs[v] > logProbs[best]))
                best = v;
        return best;
    }

    private static double MaxAbs(float[] expected, float[] actual, Func<int, bool> compared)
    {
        if (expected.Length != actual.Length)
            throw new InvalidOperationException($"ONNX output: expected {expected.Length} values, got {actual.Length}.");
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
            if (compared(i))
                worst = Math.Max(worst, Math.Abs((double)expected[i] - actual[i]));
        return worst;
    }

    private static InferenceSession Session(byte[] onnx, GraphOptimizationLevel optimization)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = optimization };
        return new InferenceSession(onnx, options);
    }

    /// <summary>Runs a session and copies every float output out.</summary>
    private static Dictionary<string, HostTensor> Run(InferenceSession session, string[] names, OrtValue[] values)
    {
        var outputNames = session.OutputMetadata.Keys.ToArray();
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, names, values, outputNames);
        var map = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        for (int i = 0; i < outputNames.Length; i++)
            map[outputNames[i]] = new HostTensor(results[i].GetTensorDataAsSpan<float>().ToArray(), results[i].GetTensorTypeAndShape().Shape);
        return map;
    }

    /// <summary>A float tensor copied out of ONNX Runtime (or made for it).</summary>
    private sealed record HostTensor(float[] Values, long[] Shape)
    {
        public OrtValue ToOrtValue() => OrtValue.CreateTensorValueFromMemory(Values, Shape);
    }

    private static float[] Floats(Tensor t) => t.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
}
