using Microsoft.ML;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>What every view, cursor and mapped row of one transformer shares: the session, the model description and settings.</summary>
internal sealed class RnnScoringCore
{
    public RnnScoringCore(SharedSession session, RnnModelDescription model, RnnScoringOptions options, IReadOnlyList<RnnOutputColumn> columns)
    {
        Session = session;
        Model = model;
        Options = options;
        Columns = columns;
        Settings = BatchSettings.From(options);
    }

    public SharedSession Session { get; }

    public RnnModelDescription Model { get; }

    /// <summary>The transformer's own copy of the options.</summary>
    public RnnScoringOptions Options { get; }

    public IReadOnlyList<RnnOutputColumn> Columns { get; }

    public BatchSettings Settings { get; }

    public RnnSchema Bind(DataViewSchema input) => RnnSchema.Create(input, Options.InputColumnName, Columns);

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
