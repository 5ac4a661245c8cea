using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// The scorer's view of an input schema: the checked token column and the output schema (every input column in place,
/// then the added columns; an added column hides an input column of the same name, as in ML.NET's own transforms).
/// </summary>
internal sealed class RnnSchema
{
    private const string ExpectedTokens = "expected a vector of token ids (a key type, or UInt32, Int32 or Int64)";

    private RnnSchema(DataViewSchema input, DataViewSchema output, DataViewSchema.Column tokenColumn, IReadOnlyList<RnnOutputColumn> columns)
    {
        Input = input;
        Output = output;
        TokenColumn = tokenColumn;
        Columns = columns;
    }

    public DataViewSchema Input { get; }

    public DataViewSchema Output { get; }

    public DataViewSchema.Column TokenColumn { get; }

    public bool TokensAreKeys => ((VectorDataViewType)TokenColumn.Type).ItemType is KeyDataViewType;

    public IReadOnlyList<RnnOutputColumn> Columns { get; }

    /// <summary>Index of an output schema column among the added columns, or -1 for a pass-through column.</summary>
    public int AddedIndex(int outputColumnIndex) => outputColumnIndex < Input.Count ? -1 : outputColumnIndex - Input.Count;

    /// <exception cref="ArgumentException">The token column is missing or has the wrong type.</exception>
    public static RnnSchema Create(DataViewSchema input, string tokenColumnName, IReadOnlyList<RnnOutputColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.GetColumnOrNull(tokenColumnName)
            ?? throw TokenColumnError(tokenColumnName, null, input.Where(c => !c.IsHidden).Select(c => c.Name), nameof(input));
        if (column.Type is not VectorDataViewType vector || !TokenColumnReader.IsIdItemType(vector.ItemType))
            throw TokenColumnError(tokenColumnName, column.Type.ToString(), [], nameof(input));

        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var added in columns)
            builder.AddColumn(added.Name, added.Type, added.Annotations);
        return new RnnSchema(input, builder.ToSchema(), column, columns);
    }

    /// <summary>The error for a missing token column (<paramref name="actualType"/> null) or one of the wrong type.</summary>
    public static ArgumentException TokenColumnError(string name, string? actualType, IEnumerable<string> inputColumns, string paramName) =>
        actualType is null
            ? new($"Input column '{name}' not found; {ExpectedTokens}. The input has {string.Join(", ", inputColumns.Select(c => $"'{c}'"))}.", paramName)
            : new($"Input column '{name}': {ExpectedTokens}, got {actualType}.", paramName);
}
