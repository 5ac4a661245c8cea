using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>Builds the value getters of the output columns over an <see cref="IScoredRowSource"/>.</summary>
internal static class ResultGetters
{
    public static Delegate Create(RnnOutputColumn column, RnnModelDescription model, IScoredRowSource source)
    {
        int C = model.NumClasses, F = model.FeatureSize, LF = model.NumLayers * model.FeatureSize;
        bool perToken = model.Task == RnnModelTask.TokenClassification;
        return column.Role switch
        {
            RnnColumnRole.Score when !perToken => Vector(source, (s, r) => s.Results.Scores.AsSpan(r * C, C)),
            RnnColumnRole.Score => Vector(source, (s, r) => s.Results.Scores.AsSpan(s.Window.Start(r) * C, s.Window.Length(r) * C)),
            RnnColumnRole.PredictedLabel when !perToken => (ValueGetter<uint>)((ref uint value) =>
            {
                source.EnsureScored();
                value = source.Results.Labels[source.Slot];
            }),
            RnnColumnRole.PredictedLabel => Vector(source, (s, r) => s.Results.Labels.AsSpan(s.Window.Start(r), s.Window.Length(r))),
            RnnColumnRole.TokenLogProbabilities => Vector(source, (s, r) => s.Results.TokenLogProbabilities.AsSpan(s.Window.Start(r), Math.Max(0, s.Window.Length(r) - 1))),
            RnnColumnRole.LogLikelihood => Scalar(source, (s, r) => s.Results.LogLikelihood[r]),
            RnnColumnRole.Perplexity => Scalar(source, (s, r) => s.Results.Perplexity[r]),
            RnnColumnRole.LastHidden => Vector(source, (s, r) => s.Results.LastHidden.AsSpan(r * F, F)),
            RnnColumnRole.HiddenStates => Vector(source, (s, r) => s.Results.HiddenStates.AsSpan(s.Window.Start(r) * F, s.Window.Length(r) * F)),
            RnnColumnRole.LayerHiddenStates => Vector(source, (s, r) => s.Results.LayerHiddenStates.AsSpan(s.Window.Start(r) * LF, s.Window.Length(r) * LF)),
            _ => throw new InvalidOperationException($"Unknown column role {column.Role}."),
        };
    }

    private delegate Span<T> Slice<T>(IScoredRowSource source, int row);

    private static ValueGetter<VBuffer<T>> Vector<T>(IScoredRowSource source, Slice<T> slice) =>
        (ref VBuffer<T> value) =>
        {
            source.EnsureScored();
            var values = slice(source, source.Slot);
            var editor = VBufferEditor.Create(ref value, values.Length);
            values.CopyTo(editor.Values);
            value = editor.Commit();
        };

    private static ValueGetter<float> Scalar(IScoredRowSource source, Func<IScoredRowSource, int, float> read) =>
        (ref float value) =>
        {
            source.EnsureScored();
            value = read(source, source.Slot);
        };
}
