using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// Reads the current row's words (a text vector, one entry per token) into the window's <see cref="CharWindow"/> as character
/// ids of the model's character vocabulary (characters outside it: id 1). Refuses a row whose word count differs from its
/// token count, naming row and columns. Created once per cursor.
/// </summary>
internal sealed class CharacterColumnReader
{
    /// <summary>The id of a character outside the model's character vocabulary.</summary>
    public const long UnknownCharId = 1;

    private readonly ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter;
    private readonly string columnName;
    private readonly string tokenColumnName;
    private readonly Dictionary<char, long> ids;
    private VBuffer<ReadOnlyMemory<char>> buffer;

    private CharacterColumnReader(ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter, string columnName, string tokenColumnName, Dictionary<char, long> ids)
    {
        this.getter = getter;
        this.columnName = columnName;
        this.tokenColumnName = tokenColumnName;
        this.ids = ids;
    }

    public static CharacterColumnReader Create(DataViewRow row, DataViewSchema.Column column, string tokenColumnName, IReadOnlyList<string> charVocabulary) =>
        new(row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column), column.Name, tokenColumnName, IdsOf(charVocabulary));

    /// <summary>Character → id of a character vocabulary (ids 0 and 1 are padding and unknown; the others are one character each).</summary>
    public static Dictionary<char, long> IdsOf(IReadOnlyList<string> charVocabulary)
    {
        var ids = new Dictionary<char, long>();
        for (int id = 2; id < charVocabulary.Count; id++)
            ids.TryAdd(charVocabulary[id][0], id);
        return ids;
    }

    /// <summary>The error for a row whose word count differs from its token count; <paramref name="rowIndex"/> -1 when unknown.</summary>
    public static InvalidDataException WordCountError(long rowIndex, string columnName, string tokenColumnName, int tokens, int words) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Row {(rowIndex >= 0 ? rowIndex.ToString(CultureInfo.InvariantCulture) : "unknown")}, column '{columnName}': expected one word per token of column '{tokenColumnName}' ({tokens}), got {words}."));

    /// <summary>Appends the characters of the row just read into <paramref name="window"/> (its last row).</summary>
    public void Read(TokenWindow window, long rowIndex)
    {
        getter(ref buffer);
        int tokens = window.Length(window.Count - 1);
        if (buffer.Length != tokens)
            throw WordCountError(rowIndex, columnName, tokenColumnName, tokens, buffer.Length);

        var characters = window.Characters!;
        var dense = buffer.DenseValues().GetEnumerator();
        for (int t = 0; t < tokens; t++)
        {
            dense.MoveNext();
            var word = dense.Current.Span;
            var target = characters.AppendToken(word.Length);
            for (int k = 0; k < word.Length; k++)
                target[k] = ids.TryGetValue(word[k], out long id) ? id : UnknownCharId;
        }
    }
}
