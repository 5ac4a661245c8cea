using Microsoft.ML.OnnxRuntime;

namespace MlNetRnn.Transforms.Tests.Fixtures;

/// <summary>Independent per-row scoring with plain ONNX Runtime: no padding, no batching, no ML.NET.</summary>
internal sealed class Reference : IDisposable
{
    private readonly InferenceSession session;

    public Reference(byte[] model) => session = new InferenceSession(model);

    /// <summary>Runs one row as a batch of one at its exact length (length 0: one pad id with lengths 0) and returns every float output.</summary>
    public Dictionary<string, float[]> Run(long[] ids, bool withLengths = true, int stateLayers = 0, int stateHidden = 0, bool lstmState = false)
    {
        long[] data = ids.Length == 0 ? [0] : ids;
        string idsName = session.InputMetadata.ContainsKey("input_ids") ? "input_ids" : "input";
        bool int32 = session.InputMetadata[idsName].ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32;
        var names = new List<string> { idsName };
        var values = new List<OrtValue>
        {
            int32 ? OrtValue.CreateTensorValueFromMemory(data.Select(v => (int)v).ToArray(), [1, data.Length]) : OrtValue.CreateTensorValueFromMemory(data, [1, data.Length]),
        };
        if (withLengths)
        {
            names.Add("lengths");
            values.Add(int32 ? OrtValue.CreateTensorValueFromMemory(new[] { ids.Length }, [1]) : OrtValue.CreateTensorValueFromMemory(new long[] { ids.Length }, [1]));
        }

        if (stateLayers > 0)
        {
            names.Add("initial_h");
            values.Add(OrtValue.CreateTensorValueFromMemory(new float[stateLayers * stateHidden], [stateLayers, 1, stateHidden]));
            if (lstmState)
            {
                names.Add("initial_c");
                values.Add(OrtValue.CreateTensorValueFromMemory(new float[stateLayers * stateHidden], [stateLayers, 1, stateHidden]));
            }
        }

        try
        {
            var outputNames = session.OutputMetadata.Where(o => o.Value.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float).Select(o => o.Key).ToArray();
            using var results = session.Run(new RunOptions(), names, values, outputNames);
            var map = new Dictionary<string, float[]>();
            for (int i = 0; i < outputNames.Length; i++)
                map[outputNames[i]] = results[i].GetTensorDataAsSpan<float>().ToArray();
            return map;
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    public static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        var e = logits.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => (float)(v / sum)).ToArray();
    }

    public void Dispose() => session.Dispose();
}
