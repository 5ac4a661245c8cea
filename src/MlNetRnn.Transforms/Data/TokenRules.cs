using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// How values of the token column become model ids, and what is refused: the one implementation of these checks and their
/// messages, used by the batched scorer (<see cref="TokenColumnReader"/>) and by the saved stock-ML.NET chain.
/// </summary>
/// <param name="ColumnName">The token column, for messages.</param>
/// <param name="IsKey">Key column: key k is id k and key 0 (missing) is <paramref name="UnkId"/>.</param>
/// <param name="VocabSize">Ids must be below this; 0 = unknown (generic model without VocabularySize).</param>
/// <param name="UnkId">The id for key 0, or -1 when key 0 is an error.</param>
/// <param name="InputIdsAreInt32">The model's ids input is int32: ids above Int32.MaxValue are refused too.</param>
internal readonly record struct TokenRules(string ColumnName, bool IsKey, long VocabSize, long UnkId, bool InputIdsAreInt32)
{
    public static TokenRules For(string columnName, bool isKey, RnnModelDescription model) =>
        new(columnName, isKey, model.VocabSize, model.UnkId, model.InputIdsType == TensorElementType.Int32);

    /// <summary>Turns one token value into a model id, or throws.</summary>
    /// <param name="value">The value (a key, or a raw id), saturated to Int64.</param>
    /// <param name="position">The token's index in the row.</param>
    /// <param name="rowIndex">The row's index in the input, or -1 when unknown (the saved chain scores row by row and cannot count rows).</param>
    /// <exception cref="InvalidDataException">The value is not an id the model takes; the message names row, column and token.</exception>
    public long ToId(long value, int position, long rowIndex)
    {
        if (IsKey && value == 0)
        {
            return UnkId >= 0 ? UnkId
                : throw Bad(rowIndex, position, "key 0 (a missing value), but the model has no unknown-token id to read it as");
        }

        if (value < 0)
            throw Bad(rowIndex, position, $"the negative id {value}");
        string what = IsKey ? $"key {value} (id {value})" : $"id {value}";
        if (VocabSize > 0 && value >= VocabSize)
            throw Bad(rowIndex, position, $"{what}, but the model's vocabulary has ids 0…{VocabSize - 1}");
        if (InputIdsAreInt32 && value > int.MaxValue)
            throw Bad(rowIndex, position, $"{what}, but the model's ids input is int32 (ids 0…{int.MaxValue})");
        return value;
    }

    private InvalidDataException Bad(long rowIndex, int position, string what) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Row {(rowIndex >= 0 ? rowIndex.ToString(CultureInfo.InvariantCulture) : "unknown")}, column '{ColumnName}', token {position}: {what}."));
}
