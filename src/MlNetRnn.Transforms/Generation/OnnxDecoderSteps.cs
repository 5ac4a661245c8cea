using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// The encoder and decoder-step graphs of a package run by ONNX Runtime. The sessions are borrowed (see
/// <see cref="GeneratorSessions"/>); this object holds no per-call state, so one instance serves concurrent searches.
/// </summary>
internal sealed class OnnxDecoderSteps : IDecoderSteps
{
    private readonly GeneratorPackage package;
    private readonly InferenceSession encoder;
    private readonly InferenceSession decoder;
    private readonly int[] batchAxes;
    private readonly string[] encoderOutputs;
    private readonly string[] decoderOutputs;

    public OnnxDecoderSteps(GeneratorPackage package, InferenceSession encoder, InferenceSession decoder)
    {
        this.package = package;
        this.encoder = encoder;
        this.decoder = decoder;
        var m = package.Manifest;
        batchAxes = m.States.Select(s => s.Shape.ToList().IndexOf(-1)).ToArray();
        encoderOutputs = [.. m.States.Select(s => s.Name), .. m.Attention ? [GeneratorGraphNames.EncoderOutputs] : Array.Empty<string>()];
        decoderOutputs = [GeneratorGraphNames.LogProbabilities, .. m.States.Select(s => s.NextName)];
        VocabularySize = m.Target.Tokens.Count;
    }

    public int VocabularySize { get; }

    public EncodedRows EncodeSources(IReadOnlyList<long[]> sources)
    {
        int n = sources.Count, width = sources.Max(s => s.Length);
        var ids = new long[n * width];
        var lengths = new long[n];
        Array.Fill(ids, package.Manifest.Source!.PadId);
        for (int r = 0; r < n; r++)
        {
            sources[r].CopyTo(ids, r * width);
            lengths[r] = sources[r].Length;
        }

        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [n, width]);
        using var lengthsValue = OrtValue.CreateTensorValueFromMemory(lengths, [n]);
        return Encode([GeneratorGraphNames.SourceIds, GeneratorGraphNames.SourceLengths], [idsValue, lengthsValue], n, lengths);
    }

    public EncodedRows EncodeConditions(IReadOnlyList<float[]> conditions)
    {
        int n = conditions.Count, size = package.Manifest.Condition!.Size;
        var data = new float[n * size];
        for (int r = 0; r < n; r++)
            conditions[r].CopyTo(data, r * size);
        using var value = OrtValue.CreateTensorValueFromMemory(data, [n, size]);
        var encoded = Encode([GeneratorGraphNames.Condition], [value], n, null);
        return package.Manifest.ConditionAtFirstStep ? encoded with { Conditions = new BatchTensor<float>(data, [n, size], 0) } : encoded;
    }

    public StepResult Step(long[] previousTokens, IReadOnlyList<BatchTensor<float>> states, EncodedRows encoded, int[] rowOfHypothesis, int step)
    {
        var m = package.Manifest;
        int n = previousTokens.Length;
        var names = new List<string> { GeneratorGraphNames.PreviousToken };
        var values = new List<OrtValue>();
        try
        {
            values.Add(OrtValue.CreateTensorValueFromMemory(previousTokens, [n]));
            for (int i = 0; i < states.Count; i++)
            {
                names.Add(m.States[i].Name);
                values.Add(OrtValue.CreateTensorValueFromMemory(states[i].Data, states[i].LongShape));
            }

            if (m.Attention)
            {
                var (outputs, lengths) = encoded.AttentionInputs.For(rowOfHypothesis);
                var shape = encoded.EncoderOutputs!.Shape;
                names.Add(GeneratorGraphNames.EncoderOutputs);
                values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, outputs, [n, shape[1], shape[2]]));
                names.Add(GeneratorGraphNames.SourceLengths);
                values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, lengths, [n]));
            }

            if (m.ConditionAtFirstStep)
            {
                int size = m.Condition!.Size;
                float[] condition = step == 0 ? encoded.Conditions!.Gather(rowOfHypothesis).Data : new float[n * size];
                names.Add(GeneratorGraphNames.Condition);
                values.Add(OrtValue.CreateTensorValueFromMemory(condition, [n, size]));
            }

            using var results = Run(decoder, GeneratorManifest.DecoderStepEntryName, names, values, decoderOutputs);
            var logProbs = results[0].GetTensorDataAsSpan<float>().ToArray();
            if (logProbs.Length != n * VocabularySize)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{package.Describe(GeneratorManifest.DecoderStepEntryName)}: '{GeneratorGraphNames.LogProbabilities}' has {logProbs.Length} values for {n} hypotheses; expected {n} × {VocabularySize} (the target vocabulary)."));
            var next = new BatchTensor<float>[states.Count];
            for (int i = 0; i < next.Length; i++)
                next[i] = ToBatchTensor(results[i + 1], batchAxes[i]);
            return new StepResult(logProbs, next);
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    /// <summary>Checks both graphs' inputs and outputs (names, element types, ranks, fixed sizes) against the manifest.</summary>
    /// <exception cref="InvalidDataException">A graph does not match; the message names the entry, the tensor and both sides.</exception>
    public static void CheckGraphs(GeneratorPackage package, InferenceSession encoder, InferenceSession decoder)
    {
        var m = package.Manifest;
        var states = m.States.Select(s => (s.Name, Type: TensorElementType.Float, Dims: s.Shape.ToArray())).ToList();
        var encoderIn = package.IsSequenceToSequence
            ? [(GeneratorGraphNames.SourceIds, TensorElementType.Int64, new[] { -1, -1 }), (GeneratorGraphNames.SourceLengths, TensorElementType.Int64, new[] { -1 })]
            : new List<(string, TensorElementType, int[])> { (GeneratorGraphNames.Condition, TensorElementType.Float, [-1, m.Condition!.Size]) };
        var encoderOut = new List<(string, TensorElementType, int[])>(states);
        var decoderIn = new List<(string, TensorElementType, int[])> { (GeneratorGraphNames.PreviousToken, TensorElementType.Int64, [-1]) };
        decoderIn.AddRange(states);
        if (m.Attention)
        {
            encoderOut.Add((GeneratorGraphNames.EncoderOutputs, TensorElementType.Float, [-1, -1, -1]));
            decoderIn.Add((GeneratorGraphNames.EncoderOutputs, TensorElementType.Float, [-1, -1, -1]));
            decoderIn.Add((GeneratorGraphNames.SourceLengths, TensorElementType.Int64, [-1]));
        }

        if (m.ConditionAtFirstStep)
            decoderIn.Add((GeneratorGraphNames.Condition, TensorElementType.Float, [-1, m.Condition!.Size]));
        var decoderOut = new List<(string, TensorElementType, int[])> { (GeneratorGraphNames.LogProbabilities, TensorElementType.Float, [-1, m.Target.Tokens.Count]) };
        decoderOut.AddRange(m.States.Select(s => (s.NextName, TensorElementType.Float, s.Shape.ToArray())));

        Check(package, GeneratorManifest.EncoderEntryName, "input", encoder.InputMetadata, encoderIn, exact: true);
        Check(package, GeneratorManifest.EncoderEntryName, "output", encoder.OutputMetadata, encoderOut, exact: false);
        Check(package, GeneratorManifest.DecoderStepEntryName, "input", decoder.InputMetadata, decoderIn, exact: true);
        Check(package, GeneratorManifest.DecoderStepEntryName, "output", decoder.OutputMetadata, decoderOut, exact: false);
    }

    private static void Check(GeneratorPackage package, string entry, string kind, IReadOnlyDictionary<string, NodeMetadata> actual,
        List<(string Name, TensorElementType Type, int[] Dims)> expected, bool exact)
    {
        string where = package.Describe(entry);
        foreach (var (name, type, dims) in expected)
        {
            if (!actual.TryGetValue(name, out var node))
                throw new InvalidDataException($"{where}: expected the graph {kind} '{name}' ({type} [{Dims(dims)}]), but the graph's {kind}s are {string.Join(", ", actual.Keys.Select(k => $"'{k}'"))}.");
            bool sameShape = node.Dimensions.Length == dims.Length && dims.Zip(node.Dimensions).All(p => p.First == -1 || p.Second == -1 || p.First == p.Second);
            if (!node.IsTensor || node.ElementDataType != type || !sameShape)
                throw new InvalidDataException($"{where}: graph {kind} '{name}': expected {type} [{Dims(dims)}] (-1 = any size), got {(node.IsTensor ? node.ElementDataType.ToString() : "a non-tensor")} [{Dims(node.Dimensions)}].");
        }

        if (exact && actual.Keys.FirstOrDefault(k => !expected.Any(e => e.Name == k)) is { } extra)
            throw new InvalidDataException($"{where}: graph {kind} '{extra}' is not part of the package contract (expected only {string.Join(", ", expected.Select(e => $"'{e.Name}'"))}), so it cannot be fed.");
    }

    private static string Dims(int[] dims) => string.Join(", ", dims);

    private EncodedRows Encode(string[] names, OrtValue[] values, int n, long[]? lengths)
    {
        var m = package.Manifest;
        using var results = Run(encoder, GeneratorManifest.EncoderEntryName, names, values, encoderOutputs);
        var states = new BatchTensor<float>[m.States.Count];
        for (int i = 0; i < states.Length; i++)
            states[i] = ToBatchTensor(results[i], batchAxes[i]);
        var encoderOut = m.Attention ? ToBatchTensor(results[states.Length], 0) : null;
        return new EncodedRows(n, states, encoderOut, m.Attention ? lengths : null);
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, string entry, IReadOnlyCollection<string> names, IReadOnlyCollection<OrtValue> values, string[] outputs)
    {
        try
        {
            using var runOptions = new RunOptions();
            return session.Run(runOptions, names, values, outputs);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException($"{package.Describe(entry)}: ONNX Runtime failed on a batch of {values.First().GetTensorTypeAndShape().Shape[0]} rows: {e.Message}", e);
        }
    }

    private static BatchTensor<float> ToBatchTensor(OrtValue value, int batchAxis)
    {
        var shape = Array.ConvertAll(value.GetTensorTypeAndShape().Shape, d => checked((int)d));
        return new BatchTensor<float>(value.GetTensorDataAsSpan<float>().ToArray(), shape, batchAxis);
    }
}
