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

    private RnnSchema(DataViewSchema input, DataViewSchema output, DataViewSchema.Column tokenColumn, IReadOnlyList<RnnOutputColumn> columns, DataViewSchema.Column? charactersColumn)
    {
        CharactersColumn = charactersColumn;
        Input = input;
        Output = output;
        TokenColumn = tokenColumn;
        Columns = columns;
    }

    public DataViewSchema Input { get; }

    public DataViewSchema Output { get; }

    public DataViewSchema.Column TokenColumn { get; }

    /// <summary>The words column of a model that reads characters, or null.</summary>
    public DataViewSchema.Column? CharactersColumn { get; }

    public bool TokensAreKeys => ((VectorDataViewType)TokenColumn.Type).ItemType is KeyDataViewType;

    public IReadOnlyList<RnnOutputColumn> Columns { get; }

    /// <summary>Index of an output schema column among the added columns, or -1 for a pass-through column.</summary>
    public int AddedIndex(int outputColumnIndex) => outputColumnIndex < Input.Count ? -1 : outputColumnIndex - Input.Count;

    /// <param name="input">The input schema.</param>
    /// <param name="tokenColumnName">The token-id column.</param>
    /// <param name="columns">The added columns.</param>
    /// <param name="charactersColumnName">The words column (text vector), or null.</param>
    /// <param name="readsCharacters">Whether the model reads characters (then <paramref name="charactersColumnName"/> is required).</param>
    /// <exception cref="ArgumentException">The token or words column is missing or has the wrong type.</exception>
    public static RnnSchema Create(DataViewSchema input, string tokenColumnName, IReadOnlyList<RnnOutputColumn> columns, string? charactersColumnName = null, bool readsCharacters = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.GetColumnOrNull(tokenColumnName)
            ?? throw TokenColumnError(tokenColumnName, null, input.Where(c => !c.IsHidden).Select(c => c.Name), nameof(input));
        if (column.Type is not VectorDataViewType vector || !TokenColumnReader.IsIdItemType(vector.ItemType))
            throw TokenColumnError(tokenColumnName, column.Type.ToString(), [], nameof(input));

        DataViewSchema.Column? characters = null;
        if (readsCharacters)
        {
            if (charactersColumnName is null)
                throw CharactersColumnError(null, null, [], nameof(input));
            characters = input.GetColumnOrNull(charactersColumnName)
                ?? throw CharactersColumnError(charactersColumnName, null, input.Where(c => !c.IsHidden).Select(c => c.Name), nameof(input));
            if (characters.Value.Type is not VectorDataViewType { ItemType: TextDataViewType })
                throw CharactersColumnError(charactersColumnName, characters.Value.Type.ToString(), [], nameof(input));
        }

        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var added in columns)
            builder.AddColumn(added.Name, added.Type, added.Annotations);
        return new RnnSchema(input, builder.ToSchema(), column, columns, characters);
    }

    /// <summary>The error for a model that reads characters: no words column named (<paramref name="name"/> null), a missing one (<paramref name="actualType"/> null) or one of the wrong type.</summary>
    public static ArgumentException CharactersColumnError(string? name, string? actualType, IEnumerable<string> inputColumns, string paramName) =>
        name is null
            ? new($"The model reads each word's characters: set {nameof(RnnScoringOptions.CharactersColumnName)} to a column of the words as written (a vector of text, one per token), or score raw text with ScoreRnnText.", paramName)
            : actualType is null
                ? new($"Input column '{name}' ({nameof(RnnScoringOptions.CharactersColumnName)}) not found; expected a vector of text, one word per token. The input has {string.Join(", ", inputColumns.Select(c => $"'{c}'"))}.", paramName)
                : new($"Input column '{name}' ({nameof(RnnScoringOptions.CharactersColumnName)}): expected a vector of text, one word per token, got {actualType}.", paramName);

    /// <summary>The error for a missing token column (<paramref name="actualType"/> null) or one of the wrong type.</summary>
    public static ArgumentException TokenColumnError(string name, string? actualType, IEnumerable<string> inputColumns, string paramName) =>
        actualType is null
            ? new($"Input column '{name}' not found; {ExpectedTokens}. The input has {string.Join(", ", inputColumns.Select(c => $"'{c}'"))}.", paramName)
            : new($"Input column '{name}': {ExpectedTokens}, got {actualType}.", paramName);
}
