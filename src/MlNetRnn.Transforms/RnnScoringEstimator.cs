using Microsoft.ML;
using MlNetRnn.Transforms.Data;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms;

/// <summary>
/// Estimator for <see cref="RnnScoringTransformer"/>; nothing is trained, <see cref="Fit"/> checks the schema and opens the
/// model. Create it with <see cref="RnnCatalog.ScoreRnn(TransformsCatalog, string, string)"/>.
/// </summary>
/// <remarks>
/// The model is read and inspected when the estimator is created, so a file that is not a usable sequence model fails
/// there, with a message listing the model's inputs and outputs.
/// </remarks>
public sealed class RnnScoringEstimator : IEstimator<RnnScoringTransformer>
{
    private readonly byte[] modelBytes;
    private readonly RnnScoringOptions options;
    private readonly RnnModelDescription model;
    private readonly IReadOnlyList<RnnOutputColumn> columns;

    internal RnnScoringEstimator(RnnScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Clone();
        modelBytes = (options.ModelPath, options.ModelBytes) switch
        {
            (null, null) => throw new ArgumentException($"Set {nameof(RnnScoringOptions.ModelPath)} or {nameof(RnnScoringOptions.ModelBytes)}.", nameof(options)),
            ({ }, { }) => throw new ArgumentException($"Set only one of {nameof(RnnScoringOptions.ModelPath)} and {nameof(RnnScoringOptions.ModelBytes)}.", nameof(options)),
            ({ } path, null) => OnnxSessionFactory.ReadModelFile(path),
            (null, { } bytes) => bytes.ToArray(),
        };
        this.options.ModelBytes = null;
        this.options.ModelPath = null;
        _ = Batching.BatchSettings.From(this.options);
        if (string.IsNullOrWhiteSpace(this.options.InputColumnName))
            throw new ArgumentException($"{nameof(RnnScoringOptions.InputColumnName)}: expected a column name, got '{this.options.InputColumnName}'.", nameof(options));

        using (var session = OnnxSessionFactory.Create(modelBytes, new RnnScoringOptions { IntraOpThreads = 1 }))
            model = OnnxModelInspector.Describe(session, this.options);
        columns = RnnOutputColumn.For(model, this.options);
    }

    internal RnnModelDescription Model => model;

    /// <summary>Checks <paramref name="input"/>'s schema and creates the transformer, which opens its own ONNX Runtime session.</summary>
    /// <param name="input">Data with the token column (only its schema is read).</param>
    /// <returns>The transformer; the caller owns it (see <see cref="RnnScoringTransformer"/>).</returns>
    /// <exception cref="ArgumentException">The token column is missing or has the wrong type.</exception>
    public RnnScoringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RnnSchema.Create(input.Schema, options.InputColumnName, columns);
        return new RnnScoringTransformer(modelBytes, options.Clone(), model, columns, input.Schema);
    }

    /// <summary>The schema shape <see cref="Fit"/>'s transformer would produce, for checking a pipeline before any data flows.</summary>
    /// <param name="inputSchema">The input schema shape.</param>
    /// <returns>The input columns plus the added columns.</returns>
    /// <exception cref="ArgumentException">The token column is missing or is not a vector of ids; the message names the column, the expected and the actual type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string name = options.InputColumnName;
        var found = inputSchema.Where(c => c.Name == name).ToList();
        if (found.Count == 0)
        {
            string names = string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"));
            throw new ArgumentException($"Input column '{name}' not found; expected a vector of token ids (a key type, or UInt32, Int32 or Int64). The input has {names}.", nameof(inputSchema));
        }

        var column = found[^1];
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar || !(column.IsKey || TokenColumnReader.IsIdItemType(column.ItemType)))
        {
            string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
            string actual = column.Kind == SchemaShape.Column.VectorKind.Scalar ? item : $"Vector<{item}>";
            throw new ArgumentException($"Input column '{name}': expected a vector of token ids (a key type, or UInt32, Int32 or Int64), got {actual}.", nameof(inputSchema));
        }

        var builder = new DataViewSchema.Builder();
        foreach (var added in columns)
            builder.AddColumn(added.Name, added.Type, added.Annotations);
        var addedShape = SchemaShapes.FromSchema(builder.ToSchema());
        var result = inputSchema.Where(c => !columns.Any(a => a.Name == c.Name)).Concat(addedShape);
        return new SchemaShape(result);
    }
}
