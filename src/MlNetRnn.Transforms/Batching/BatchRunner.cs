using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// Runs one batch at a time: pads ids into reused arrays, wraps them and reused output arrays in <see cref="OrtValue"/>s
/// (pinned, no copies), calls ONNX Runtime and scatters the results to their rows in <see cref="WindowResults"/>.
/// One runner per concurrently running batch; it owns its <see cref="RunOptions"/>.
/// </summary>
internal sealed class BatchRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly RnnModelDescription model;
    private readonly RnnOutputKinds kinds;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly OrtValue?[] inputValues;
    private readonly string[] outputNames;
    private readonly OrtValue?[] outputValues;
    private readonly int scoresOutput = -1, logProbsOutput = -1, lastHiddenOutput = -1, hiddenStatesOutput = -1, layerHiddenStatesOutput = -1;

    private long[] ids = [];
    private int[] ids32 = [];
    private long[] lengths = [];
    private int[] lengths32 = [];
    private long[] charIds = [];
    private long[] charLengths = [];
    private float[] zeroState = [];
    private readonly float[][] outputBuffers;

    public BatchRunner(InferenceSession session, RnnModelDescription model, RnnOutputKinds kinds)
    {
        this.session = session;
        this.model = model;
        this.kinds = kinds;

        var inputs = new List<string> { model.InputIdsName };
        if (model.LengthsName is not null)
            inputs.Add(model.LengthsName);
        if (model.CharIdsName is not null)
            inputs.AddRange([model.CharIdsName, model.CharLengthsName!]);
        if (model.InitialHName is not null)
            inputs.Add(model.InitialHName);
        if (model.InitialCName is not null)
            inputs.Add(model.InitialCName);
        inputNames = [.. inputs];
        inputValues = new OrtValue?[inputNames.Length];

        var outputs = new List<string>();
        if ((kinds & (RnnOutputKinds.Scores | RnnOutputKinds.Labels)) != 0)
            scoresOutput = Add(outputs, model.ScoresName);
        if ((kinds & RnnOutputKinds.LanguageModel) != 0)
            logProbsOutput = Add(outputs, model.LogProbsName);
        if ((kinds & RnnOutputKinds.LastHidden) != 0)
            lastHiddenOutput = Add(outputs, model.LastHiddenName);
        if ((kinds & RnnOutputKinds.HiddenStates) != 0)
            hiddenStatesOutput = Add(outputs, model.HiddenStatesName);
        if ((kinds & RnnOutputKinds.LayerHiddenStates) != 0)
            layerHiddenStatesOutput = Add(outputs, model.LayerHiddenStatesName);
        outputNames = [.. outputs];
        outputValues = new OrtValue?[outputNames.Length];
        outputBuffers = new float[outputNames.Length][];
        for (int i = 0; i < outputBuffers.Length; i++)
            outputBuffers[i] = [];
    }

    private static int Add(List<string> names, string? name)
    {
        names.Add(name ?? throw new InvalidOperationException("The model has no output for a requested column."));
        return names.Count - 1;
    }

    /// <summary>Scores one batch and writes its rows' results.</summary>
    public void Run(SequenceBatch batch, ReadOnlySpan<int> order, TokenWindow window, WindowResults results)
    {
        int B = batch.Count, T = batch.PaddedLength;
        var rows = order.Slice(batch.Start, B);
        try
        {
            int next = 0;
            inputValues[next++] = CreateIds(rows, window, B, T);
            if (model.LengthsName is not null)
                inputValues[next++] = CreateLengths(rows, window, B);
            if (model.CharIdsName is not null)
            {
                var (ids, counts) = CreateCharacters(rows, window, B, T);
                inputValues[next++] = ids;
                inputValues[next++] = counts;
            }
            if (model.InitialHName is not null)
                inputValues[next++] = CreateZeroState(B);
            if (model.InitialCName is not null)
                inputValues[next++] = CreateZeroState(B);

            if (scoresOutput >= 0)
            {
                outputValues[scoresOutput] = model.Task == RnnModelTask.SequenceClassification
                    ? CreateOutput(scoresOutput, B, model.NumClasses)
                    : CreateOutput(scoresOutput, B, T, model.NumClasses);
            }

            if (logProbsOutput >= 0)
                outputValues[logProbsOutput] = CreateOutput(logProbsOutput, B, T, (int)model.VocabSize);
            if (lastHiddenOutput >= 0)
                outputValues[lastHiddenOutput] = CreateOutput(lastHiddenOutput, B, model.FeatureSize);
            if (hiddenStatesOutput >= 0)
                outputValues[hiddenStatesOutput] = CreateOutput(hiddenStatesOutput, B, T, model.FeatureSize);
            if (layerHiddenStatesOutput >= 0)
                outputValues[layerHiddenStatesOutput] = CreateOutput(layerHiddenStatesOutput, B, T, model.NumLayers, model.FeatureSize);

            session.Run(runOptions, inputNames, inputValues!, outputNames, outputValues!);
        }
        finally
        {
            DisposeAll(inputValues);
            DisposeAll(outputValues);
        }

        Scatter(rows, window, results, T);
    }

    private void Scatter(ReadOnlySpan<int> rows, TokenWindow window, WindowResults results, int T)
    {
        int C = model.NumClasses, F = model.FeatureSize;
        for (int b = 0; b < rows.Length; b++)
        {
            int row = rows[b], start = window.Start(row), length = window.Length(row);
            if (scoresOutput >= 0)
            {
                var scores = outputBuffers[scoresOutput];
                if (model.Task == RnnModelTask.SequenceClassification)
                {
                    StoreClass(scores.AsSpan(b * C, C), results.Scores.AsSpan(row * C, C), ref results.Labels[row]);
                }
                else
                {
                    for (int t = 0; t < length; t++)
                        StoreClass(scores.AsSpan(((b * T) + t) * C, C), results.Scores.AsSpan((start + t) * C, C), ref results.Labels[start + t]);
                }
            }

            if (logProbsOutput >= 0)
            {
                int V = (int)model.VocabSize;
                double ll = ScoreMath.NextTokenLogProbabilities(
                    outputBuffers[logProbsOutput].AsSpan(b * T * V, T * V), V, window.Row(row), results.TokenLogProbabilities.AsSpan(start, length));
                results.LogLikelihood[row] = (float)ll;
                results.Perplexity[row] = ScoreMath.Perplexity(ll, length);
            }

            if (lastHiddenOutput >= 0)
                outputBuffers[lastHiddenOutput].AsSpan(b * F, F).CopyTo(results.LastHidden.AsSpan(row * F, F));
            if (hiddenStatesOutput >= 0)
                outputBuffers[hiddenStatesOutput].AsSpan(b * T * F, length * F).CopyTo(results.HiddenStates.AsSpan(start * F, length * F));
            if (layerHiddenStatesOutput >= 0)
            {
                int LF = model.NumLayers * F;
                outputBuffers[layerHiddenStatesOutput].AsSpan(b * T * LF, length * LF).CopyTo(results.LayerHiddenStates.AsSpan(start * LF, length * LF));
            }
        }
    }

    private void StoreClass(ReadOnlySpan<float> source, Span<float> destination, ref uint label)
    {
        if (model.ScoresAreLogits)
            ScoreMath.Softmax(source, destination);
        else
            source.CopyTo(destination);
        label = (uint)(ScoreMath.ArgMax(destination) + 1);
    }

    private OrtValue CreateIds(ReadOnlySpan<int> rows, TokenWindow window, int B, int T)
    {
        int size = B * T;
        EnsureSize(ref ids, size);
        var padded = ids.AsSpan(0, size);
        padded.Fill(model.PadId);
        for (int b = 0; b < rows.Length; b++)
            window.Row(rows[b]).CopyTo(padded.Slice(b * T, T));
        long[] shape = [B, T];
        if (model.InputIdsType == TensorElementType.Int64)
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(ids, 0, size), shape);

        EnsureSize(ref ids32, size);
        for (int i = 0; i < size; i++)
            ids32[i] = checked((int)ids[i]);
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<int>(ids32, 0, B * T), shape);
    }

    private OrtValue CreateLengths(ReadOnlySpan<int> rows, TokenWindow window, int B)
    {
        long[] shape = [B];
        if (model.LengthsType == TensorElementType.Int64)
        {
            EnsureSize(ref lengths, B);
            for (int b = 0; b < B; b++)
                lengths[b] = window.Length(rows[b]);
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(lengths, 0, B), shape);
        }

        EnsureSize(ref lengths32, B);
        for (int b = 0; b < B; b++)
            lengths32[b] = window.Length(rows[b]);
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<int>(lengths32, 0, B), shape);
    }

    /// <summary>Each token's character ids (B, T, W), W the batch's longest word (at least 1), padded with 0; and the counts (B, T).</summary>
    private (OrtValue Ids, OrtValue Lengths) CreateCharacters(ReadOnlySpan<int> rows, TokenWindow window, int B, int T)
    {
        var characters = window.Characters ?? throw new InvalidOperationException("The model reads characters but the window holds none.");
        int W = 1;
        for (int b = 0; b < rows.Length; b++)
        {
            int start = window.Start(rows[b]);
            for (int t = 0; t < window.Length(rows[b]); t++)
                W = Math.Max(W, characters.Length(start + t));
        }

        long size = (long)B * T * W;
        if (size > Array.MaxLength)
            throw new InvalidOperationException($"The characters of one batch would be {size} values; lower BatchSize or MaxTokensPerBatch.");
        EnsureSize(ref charIds, (int)size);
        EnsureSize(ref charLengths, B * T);
        charIds.AsSpan(0, (int)size).Clear();
        charLengths.AsSpan(0, B * T).Clear();
        for (int b = 0; b < rows.Length; b++)
        {
            int start = window.Start(rows[b]);
            for (int t = 0; t < window.Length(rows[b]); t++)
            {
                var word = characters.Token(start + t);
                charLengths[b * T + t] = word.Length;
                word.CopyTo(charIds.AsSpan((b * T + t) * W, word.Length));
            }
        }

        return (OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(charIds, 0, (int)size), [B, T, W]),
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(charLengths, 0, B * T), [B, T]));
    }

    private OrtValue CreateZeroState(int B)
    {
        int size = model.StateLayers * B * model.StateHidden;
        if (zeroState.Length < size)
            zeroState = new float[size];
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(zeroState, 0, size),
            [model.StateLayers, B, model.StateHidden]);
    }

    private OrtValue CreateOutput(int index, params ReadOnlySpan<int> dims)
    {
        long size = 1;
        var shape = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            shape[i] = dims[i];
            size *= dims[i];
        }

        if (size > Array.MaxLength)
            throw new InvalidOperationException($"Output '{outputNames[index]}' of one batch would hold {size} values; lower BatchSize or MaxTokensPerBatch.");
        EnsureSize(ref outputBuffers[index], (int)size);
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(outputBuffers[index], 0, (int)size), shape);
    }

    private static void EnsureSize<T>(ref T[] array, int size)
    {
        if (array.Length < size)
            array = new T[(int)Math.Max(size, Math.Min(Array.MaxLength, array.Length * 2L))];
    }

    private static void DisposeAll(OrtValue?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i]?.Dispose();
            values[i] = null;
        }
    }

    public void Dispose() => runOptions.Dispose();
}
