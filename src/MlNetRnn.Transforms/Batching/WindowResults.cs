using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// A window's results in original row order, in reused arrays. Per-row values are indexed by row; per-token values use
/// the <see cref="TokenWindow"/>'s token offsets (row <c>r</c>'s token <c>t</c> is at <c>Start(r) + t</c>).
/// </summary>
internal sealed class WindowResults
{
    /// <summary>Sequence classification: <c>[row, class]</c>; token classification: <c>[token, class]</c>. Probabilities.</summary>
    public float[] Scores = [];

    /// <summary>Predicted class + 1 (an ML.NET key value; 0 = missing), per row or per token.</summary>
    public uint[] Labels = [];

    /// <summary>Language models: log-probability of each next token, at the token offset of the token that predicts it.</summary>
    public float[] TokenLogProbabilities = [];

    public float[] LogLikelihood = [];

    public float[] Perplexity = [];

    /// <summary><c>[row, feature]</c>.</summary>
    public float[] LastHidden = [];

    /// <summary><c>[token, feature]</c>.</summary>
    public float[] HiddenStates = [];

    /// <summary><c>[token, layer, feature]</c>.</summary>
    public float[] LayerHiddenStates = [];

    public void Prepare(TokenWindow window, RnnOutputKinds kinds, RnnModelDescription model)
    {
        int rows = window.Count, tokens = window.TokenCount;
        bool perToken = model.Task == RnnModelTask.TokenClassification;
        if ((kinds & (RnnOutputKinds.Scores | RnnOutputKinds.Labels)) != 0)
        {
            Ensure(ref Scores, (long)(perToken ? tokens : rows) * model.NumClasses);
            Ensure(ref Labels, perToken ? tokens : rows);
        }

        if ((kinds & RnnOutputKinds.LanguageModel) != 0)
        {
            Ensure(ref TokenLogProbabilities, tokens);
            Ensure(ref LogLikelihood, rows);
            Ensure(ref Perplexity, rows);
        }

        if ((kinds & RnnOutputKinds.LastHidden) != 0)
            Ensure(ref LastHidden, (long)rows * model.FeatureSize);
        if ((kinds & RnnOutputKinds.HiddenStates) != 0)
            Ensure(ref HiddenStates, (long)tokens * model.FeatureSize);
        if ((kinds & RnnOutputKinds.LayerHiddenStates) != 0)
            Ensure(ref LayerHiddenStates, (long)tokens * model.NumLayers * model.FeatureSize);
    }

    private static void Ensure<T>(ref T[] array, long size)
    {
        if (size > Array.MaxLength)
            throw new InvalidOperationException($"A window's results need {size} values, more than an array holds; lower WindowSize.");
        if (array.Length < size)
            array = new T[Math.Max(size, Math.Min(Array.MaxLength, (long)array.Length * 2))];
    }
}
