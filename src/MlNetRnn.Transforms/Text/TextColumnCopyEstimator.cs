using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Text;

/// <summary>
/// Copies the user's text column to the tokenizer's input column after checking it is text, so a wrong column fails with
/// the user's column name in the message. Fits to ML.NET's own column-copying transformer.
/// </summary>
internal sealed class TextColumnCopyEstimator(TransformsCatalog catalog, string outputColumn, string textColumn) : IEstimator<ITransformer>
{
    private readonly IEstimator<ITransformer> copy = catalog.CopyColumns(outputColumn, textColumn);

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(textColumn);
        if (column is null)
            throw new ArgumentException($"Input column '{textColumn}' not found; expected a text column. The input has {string.Join(", ", input.Schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}.", nameof(input));
        if (column.Value.Type is not TextDataViewType)
            throw new ArgumentException($"Input column '{textColumn}': expected text (String), got {column.Value.Type}.", nameof(input));
        return copy.Fit(input);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var found = inputSchema.Where(c => c.Name == textColumn).ToList();
        if (found.Count == 0)
            throw new ArgumentException($"Input column '{textColumn}' not found; expected a text column. The input has {string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"))}.", nameof(inputSchema));
        var column = found[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw new ArgumentException($"Input column '{textColumn}': expected text (String), got {(column.Kind == SchemaShape.Column.VectorKind.Scalar ? string.Empty : "a vector of ")}{column.ItemType}.", nameof(inputSchema));
        return copy.GetOutputSchema(inputSchema);
    }
}
