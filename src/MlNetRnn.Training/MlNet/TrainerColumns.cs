using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Data;

namespace MlNetRnn.Training;

/// <summary>
/// The column rules of the RNN trainers, checked on a <see cref="SchemaShape"/> (pipeline build time) and on the data's
/// schema (<c>Fit</c>), and the columns the trained transformer adds.
/// </summary>
internal static class TrainerColumns
{
    private const string ExpectedInput = "expected String (text) or a vector of Key<UInt32> (token keys)";

    /// <summary>Checks the input and label columns; returns whether the input is text (otherwise token keys).</summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type; the message names it, the expected and the actual type.</exception>
    public static bool Check(SchemaShape input, RnnTrainerOptions options, bool perToken, string paramName)
    {
        var tokens = Find(input, options.InputColumnName, "Input", ExpectedInput, paramName);
        bool isText = tokens.Kind == SchemaShape.Column.VectorKind.Scalar && tokens.ItemType is TextDataViewType;
        bool isKeys = tokens.Kind != SchemaShape.Column.VectorKind.Scalar && IsUInt32Key(tokens);
        if (!isText && !isKeys)
            throw new ArgumentException($"Input column '{tokens.Name}': {ExpectedInput}, got {Describe(tokens)}.", paramName);

        string expectedLabel = perToken
            ? "expected a vector of Key<UInt32> with one tag per token (for example from MapValueToKey on a vector of tag names)"
            : "expected Key<UInt32> (for example from MapValueToKey)";
        var label = Find(input, options.LabelColumnName, "Label", expectedLabel, paramName);
        bool labelOk = IsUInt32Key(label) && (label.Kind == SchemaShape.Column.VectorKind.Scalar) != perToken;
        if (!labelOk)
            throw new ArgumentException($"Label column '{label.Name}': {expectedLabel}, got {Describe(label)}.", paramName);
        return isText;
    }

    /// <summary>The input schema shape plus the columns the trained transformer adds (replacing input columns of the same names).</summary>
    public static SchemaShape OutputShape(SchemaShape input, RnnTrainerOptions options, bool perToken, bool isText)
    {
        // Class counts are not known before training; a SchemaShape records only the kind of a vector, not its size.
        var keyValues = new DataViewSchema.Annotations.Builder();
        keyValues.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, 1), (ref VBuffer<ReadOnlyMemory<char>> _) => { });
        var key = new KeyDataViewType(typeof(uint), 1);
        var builder = new DataViewSchema.Builder();
        if (isText)
            builder.AddColumn(TokensColumnName(options), new VectorDataViewType(key), keyValues.ToAnnotations());
        if (options is RnnTokenClassifierOptions { ReadsCharacters: true })
            builder.AddColumn(WordsColumnName(options), new VectorDataViewType(TextDataViewType.Instance));
        if (perToken)
        {
            builder.AddColumn(options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single));
            builder.AddColumn(options.PredictedLabelColumnName, new VectorDataViewType(key), keyValues.ToAnnotations());
        }
        else
        {
            var slotNames = new DataViewSchema.Annotations.Builder();
            slotNames.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, 1), (ref VBuffer<ReadOnlyMemory<char>> _) => { });
            builder.AddColumn(options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, 1), slotNames.ToAnnotations());
            builder.AddColumn(options.PredictedLabelColumnName, key, keyValues.ToAnnotations());
        }

        var added = SchemaShapes.FromSchema(builder.ToSchema());
        return new SchemaShape(input.Where(c => !added.Any(a => a.Name == c.Name)).Concat(added));
    }

    /// <summary>The tokens-as-written column a character-aware tagger's transformer adds (as <c>ScoreRnnText</c> names it).</summary>
    public static string WordsColumnName(RnnTrainerOptions options) => options.InputColumnName + "Words";

    /// <summary>The token-key column that scoring raw text adds (see <c>ScoreRnnText</c>).</summary>
    public static string TokensColumnName(RnnTrainerOptions options) => options.InputColumnName + "Tokens";

    private static SchemaShape.Column Find(SchemaShape input, string name, string role, string expected, string paramName)
    {
        var found = input.Where(c => c.Name == name).ToList();
        if (found.Count > 0)
            return found[^1];
        string present = string.Join(", ", input.Select(c => $"'{c.Name}'"));
        throw new ArgumentException($"{role} column '{name}' not found; {expected}. The input has {present}.", paramName);
    }

    private static bool IsUInt32Key(SchemaShape.Column column) => column.IsKey && column.ItemType.RawType == typeof(uint);

    private static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind == SchemaShape.Column.VectorKind.Scalar ? item : $"Vector<{item}>";
    }
}
