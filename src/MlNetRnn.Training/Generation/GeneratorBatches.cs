using static TorchSharp.torch;

namespace MlNetRnn.Training.Generation;

/// <summary>Padded time-major tensors of sources and targets, as the generator models take them.</summary>
internal static class GeneratorBatches
{
    /// <summary>Source ids <c>(S, B)</c> padded with <paramref name="padId"/> (S ≥ 1, so an empty source is one padding token) and lengths <c>(B)</c>.</summary>
    public static (Tensor Ids, Tensor Lengths) Sources(IReadOnlyList<int[]> sources, int padId, Device device)
    {
        int B = sources.Count, S = Math.Max(1, sources.Max(s => s.Length));
        var ids = new long[S * B];
        Array.Fill(ids, padId);
        var lengths = new long[B];
        for (int b = 0; b < B; b++)
        {
            lengths[b] = sources[b].Length;
            for (int t = 0; t < sources[b].Length; t++)
                ids[t * B + b] = sources[b][t];
        }

        return (tensor(ids, [S, B]).to(device), tensor(lengths).to(device));
    }

    /// <summary>
    /// Decoder inputs <c>(T, B)</c> = BOS then the target, and expected outputs <c>(T, B)</c> = the target then EOS, both padded
    /// with <see cref="TargetVocabulary.PadId"/>; T = longest target + 1. Also the number of expected (non-padding) outputs.
    /// </summary>
    public static (Tensor Inputs, Tensor Expected, long Count) Targets(IReadOnlyList<int[]> targets, Device device)
    {
        int B = targets.Count, T = targets.Max(s => s.Length) + 1;
        var inputs = new long[T * B];
        var expected = new long[T * B];        // PadId = 0 everywhere else
        long count = 0;
        for (int b = 0; b < B; b++)
        {
            int[] target = targets[b];
            inputs[b] = TargetVocabulary.BosId;
            for (int t = 0; t < target.Length; t++)
            {
                inputs[(t + 1) * B + b] = target[t];
                expected[t * B + b] = target[t];
            }

            expected[target.Length * B + b] = TargetVocabulary.EosId;
            count += target.Length + 1;
        }

        return (tensor(inputs, [T, B]).to(device), tensor(expected, [T, B]).to(device), count);
    }

    /// <summary>Conditions as a float32 <c>(B, C)</c> tensor.</summary>
    public static Tensor Conditions(IReadOnlyList<float[]> conditions, Device device)
    {
        int B = conditions.Count, C = conditions[0].Length;
        var values = new float[B * C];
        for (int b = 0; b < B; b++)
            conditions[b].CopyTo(values, b * C);
        return tensor(values, [B, C]).to(device);
    }
}
