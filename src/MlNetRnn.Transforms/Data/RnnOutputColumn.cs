using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>One column the scorer adds: its name, ML.NET type, annotations and role.</summary>
internal sealed record RnnOutputColumn(string Name, RnnColumnRole Role, DataViewType Type, DataViewSchema.Annotations Annotations)
{
    public RnnOutputKinds Kind => Role switch
    {
        RnnColumnRole.Score => RnnOutputKinds.Scores,
        RnnColumnRole.PredictedLabel => RnnOutputKinds.Labels,
        RnnColumnRole.LastHidden => RnnOutputKinds.LastHidden,
        RnnColumnRole.HiddenStates => RnnOutputKinds.HiddenStates,
        RnnColumnRole.LayerHiddenStates => RnnOutputKinds.LayerHiddenStates,
        _ => RnnOutputKinds.LanguageModel,
    };

    /// <summary>The columns a model and settings produce, checked (names distinct, requested outputs present); the names themselves were checked by <see cref="RnnScorerSettings"/>.</summary>
    public static IReadOnlyList<RnnOutputColumn> For(RnnModelDescription model, RnnScorerSettings options)
    {
        var columns = new List<RnnOutputColumn>();
        switch (model.Task)
        {
            case RnnModelTask.SequenceClassification:
                columns.Add(new(options.ScoreColumnName, RnnColumnRole.Score,
                    new VectorDataViewType(NumberDataViewType.Single, model.NumClasses), SlotNames(model.LabelNames)));
                columns.Add(new(options.PredictedLabelColumnName, RnnColumnRole.PredictedLabel,
                    new KeyDataViewType(typeof(uint), model.NumClasses), KeyValues(model.LabelNames)));
                break;
            case RnnModelTask.TokenClassification:
                columns.Add(new(options.ScoreColumnName, RnnColumnRole.Score,
                    new VectorDataViewType(NumberDataViewType.Single), DataViewSchema.Annotations.Empty));
                columns.Add(new(options.PredictedLabelColumnName, RnnColumnRole.PredictedLabel,
                    new VectorDataViewType(new KeyDataViewType(typeof(uint), model.NumClasses)), KeyValues(model.LabelNames)));
                break;
            default:
                columns.Add(new(options.TokenLogProbabilitiesColumnName, RnnColumnRole.TokenLogProbabilities,
                    new VectorDataViewType(NumberDataViewType.Single), DataViewSchema.Annotations.Empty));
                columns.Add(new(options.LogLikelihoodColumnName, RnnColumnRole.LogLikelihood,
                    NumberDataViewType.Single, DataViewSchema.Annotations.Empty));
                columns.Add(new(options.PerplexityColumnName, RnnColumnRole.Perplexity,
                    NumberDataViewType.Single, DataViewSchema.Annotations.Empty));
                break;
        }

        if (options.LastHiddenColumnName is { } lastHidden)
        {
            if (model.LastHiddenName is null)
                throw new ArgumentException($"{nameof(options.LastHiddenColumnName)} is set, but the model has no '{MetadataKeys.LastHidden}' output. Model {model.Signature}.", nameof(options));
            columns.Add(new(lastHidden, RnnColumnRole.LastHidden,
                new VectorDataViewType(NumberDataViewType.Single, model.FeatureSize), DataViewSchema.Annotations.Empty));
        }

        if (options.HiddenStatesColumnName is { } hiddenStates)
        {
            if (model.HiddenStatesName is null)
                throw new ArgumentException($"{nameof(options.HiddenStatesColumnName)} is set, but the model has no '{MetadataKeys.HiddenStates}' output. Model {model.Signature}.", nameof(options));
            columns.Add(new(hiddenStates, RnnColumnRole.HiddenStates,
                new VectorDataViewType(NumberDataViewType.Single), DataViewSchema.Annotations.Empty));
        }

        if (options.LayerHiddenStatesColumnName is { } layerHiddenStates)
        {
            if (model.LayerHiddenStatesName is null)
                throw new ArgumentException($"{nameof(options.LayerHiddenStatesColumnName)} is set, but the model has no '{MetadataKeys.LayerHiddenStates}' output; re-export it with OnnxExportOptions.IncludeLayerStates = true. Model {model.Signature}.", nameof(options));
            columns.Add(new(layerHiddenStates, RnnColumnRole.LayerHiddenStates,
                new VectorDataViewType(NumberDataViewType.Single), DataViewSchema.Annotations.Empty));
        }

        var duplicate = columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Output column names must differ, but '{duplicate.Key}' is used for {string.Join(" and ", duplicate.Select(c => c.Role))}.", nameof(options));
        return columns;
    }

    private static DataViewSchema.Annotations SlotNames(IReadOnlyList<string> labels)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, labels.Count), TextGetter(labels));
        return builder.ToAnnotations();
    }

    private static DataViewSchema.Annotations KeyValues(IReadOnlyList<string> labels)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, labels.Count), TextGetter(labels));
        return builder.ToAnnotations();
    }

    private static ValueGetter<VBuffer<ReadOnlyMemory<char>>> TextGetter(IReadOnlyList<string> labels)
    {
        var values = labels.Select(l => l.AsMemory()).ToArray();
        return (ref VBuffer<ReadOnlyMemory<char>> dst) =>
        {
            var editor = VBufferEditor.Create(ref dst, values.Length);
            values.CopyTo(editor.Values);
            dst = editor.Commit();
        };
    }
}
