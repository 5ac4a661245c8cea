using Microsoft.ML;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>What every view, cursor and mapped row of one transformer shares: the session, the model description and settings.</summary>
internal sealed class RnnScoringCore
{
    public RnnScoringCore(SharedSession session, RnnModelDescription model, RnnScorerSettings scorer, IReadOnlyList<RnnOutputColumn> columns)
    {
        Session = session;
        Model = model;
        Scorer = scorer;
        Columns = columns;
        Settings = scorer.Batch;
    }

    public SharedSession Session { get; }

    public RnnModelDescription Model { get; }

    /// <summary>The validated settings the transformer was created with.</summary>
    public RnnScorerSettings Scorer { get; }

    public IReadOnlyList<RnnOutputColumn> Columns { get; }

    /// <summary>The batching part of <see cref="Scorer"/>.</summary>
    public BatchSettings Settings { get; }

    public RnnSchema Bind(DataViewSchema input) =>
        RnnSchema.Create(input, Scorer.InputColumnName, Columns, Scorer.CharactersColumnName, Model.CharIdsName is not null);

    /// <summary>The results needed for the active added columns.</summary>
    public static RnnOutputKinds KindsFor(RnnSchema schema, Func<int, bool> isActive)
    {
        var kinds = RnnOutputKinds.None;
        for (int i = 0; i < schema.Columns.Count; i++)
        {
            if (isActive(schema.Input.Count + i))
                kinds |= schema.Columns[i].Kind;
        }

        return kinds;
    }
}
