namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// The one rule for rows without tokens, used by the batched scorer and by the saved stock-ML.NET chain. Graphs exported
/// by MlNetRnn take length 0 (they clamp it and return their no-step result), so such rows are scored like any other.
/// Other models never see one (ONNX Runtime's RNN kernels have no defined result for length 0): a sequence classifier's
/// row gets NaN scores and a missing predicted label (key 0); per-token outputs are empty anyway.
/// </summary>
internal static class EmptyRows
{
    /// <summary>Whether a row of <paramref name="length"/> tokens is left unscored.</summary>
    public static bool IsUnscored(int length, bool isMlNetRnnFormat) => length == 0 && !isMlNetRnnFormat;

    /// <summary>The length fed to the graph for a row the saved chain must still run through it (one pad id for an unscored row).</summary>
    public static int FedLength(int length, bool isMlNetRnnFormat) => IsUnscored(length, isMlNetRnnFormat) ? 1 : length;

    /// <summary>Writes an unscored row's class scores.</summary>
    public static void FillUnscored(Span<float> scores) => scores.Fill(float.NaN);
}
