using Microsoft.ML;
using Microsoft.ML.Data;
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
    private readonly RnnScorerSettings settings;
    private readonly RnnModelDescription model;
    private readonly IReadOnlyList<RnnOutputColumn> columns;

    internal RnnScoringEstimator(RnnScoringOptions options)
        : this(RnnScorerSettings.From(options), ReadModel(options))
    {
    }

    internal RnnScoringEstimator(RnnScorerSettings settings, byte[] modelBytes)
    {
        this.settings = settings;
        this.modelBytes = modelBytes;
        using (var session = OnnxSessionFactory.Create(modelBytes, intraOpThreads: 1))
            model = OnnxModelInspector.Describe(session, settings);
        columns = RnnOutputColumn.For(model, settings);
        if (model.CharIdsName is null && settings.CharactersColumnName is not null)
            throw new ArgumentException($"{nameof(RnnScoringOptions.CharactersColumnName)}: the model reads no characters (it has no input '{MetadataKeys.CharIds}'), but the option is '{settings.CharactersColumnName}'; leave it null. Model {model.Signature}.", nameof(settings));
    }

    internal RnnModelDescription Model => model;

    /// <summary>Checks <paramref name="input"/>'s schema and creates the transformer, which opens its own ONNX Runtime session.</summary>
    /// <param name="input">Data with the token column (only its schema is read).</param>
    /// <returns>The transformer; the caller owns it (see <see cref="RnnScoringTransformer"/>).</returns>
    /// <exception cref="ArgumentException">The token column is missing or has the wrong type.</exception>
    public RnnScoringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RnnSchema.Create(input.Schema, settings.InputColumnName, columns, settings.CharactersColumnName, model.CharIdsName is not null);
        return new RnnScoringTransformer(modelBytes, settings, model, columns, input.Schema);
    }

    /// <summary>The schema shape <see cref="Fit"/>'s transformer would produce, for checking a pipeline before any data flows.</summary>
    /// <param name="inputSchema">The input schema shape.</param>
    /// <returns>The input columns plus the added columns.</returns>
    /// <exception cref="ArgumentException">The token column is missing or is not a vector of ids; the message names the column, the expected and the actual type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string name = settings.InputColumnName;
        var found = inputSchema.Where(c => c.Name == name).ToList();
        if (found.Count == 0)
            throw RnnSchema.TokenColumnError(name, null, inputSchema.Select(c => c.Name), nameof(inputSchema));

        var column = found[^1];
        bool isVector = column.Kind != SchemaShape.Column.VectorKind.Scalar;
        if (!isVector || !(column.IsKey || TokenColumnReader.IsIdItemType(column.ItemType)))
        {
            string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
            throw RnnSchema.TokenColumnError(name, isVector ? $"Vector<{item}>" : item, [], nameof(inputSchema));
        }

        if (model.CharIdsName is not null)
        {
            string? words = settings.CharactersColumnName;
            var wordsColumn = inputSchema.LastOrDefault(c => c.Name == words);
            if (words is null)
                throw RnnSchema.CharactersColumnError(null, null, [], nameof(inputSchema));
            if (wordsColumn.Name is null)
                throw RnnSchema.CharactersColumnError(words, null, inputSchema.Select(c => c.Name), nameof(inputSchema));
            if (wordsColumn.Kind == SchemaShape.Column.VectorKind.Scalar || wordsColumn.ItemType is not TextDataViewType)
                throw RnnSchema.CharactersColumnError(words, wordsColumn.Kind == SchemaShape.Column.VectorKind.Scalar ? $"{wordsColumn.ItemType}" : $"Vector<{wordsColumn.ItemType}>", [], nameof(inputSchema));
        }

        var builder = new DataViewSchema.Builder();
        foreach (var added in columns)
            builder.AddColumn(added.Name, added.Type, added.Annotations);
        var addedShape = SchemaShapes.FromSchema(builder.ToSchema());
        var result = inputSchema.Where(c => !columns.Any(a => a.Name == c.Name)).Concat(addedShape);
        return new SchemaShape(result);
    }

    /// <summary>The model bytes of <paramref name="options"/> (a copy), read from its file when it names one.</summary>
    internal static byte[] ReadModel(RnnScoringOptions options) => (options.ModelPath, options.ModelBytes) switch
    {
        (null, null) => throw new ArgumentException($"Set {nameof(RnnScoringOptions.ModelPath)} or {nameof(RnnScoringOptions.ModelBytes)}.", nameof(options)),
        ({ }, { }) => throw new ArgumentException($"Set only one of {nameof(RnnScoringOptions.ModelPath)} and {nameof(RnnScoringOptions.ModelBytes)}.", nameof(options)),
        ({ } path, null) => OnnxSessionFactory.ReadModelFile(path),
        (null, { } bytes) => bytes.ToArray(),
    };
}
