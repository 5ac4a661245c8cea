using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>How values of the token column become model ids, and what is refused.</summary>
/// <param name="ColumnName">The token column, for messages.</param>
/// <param name="IsKey">Key column: key k is id k and key 0 (missing) is <paramref name="UnkId"/>.</param>
/// <param name="VocabSize">Ids must be below this; 0 = not checked (generic model without VocabularySize).</param>
/// <param name="UnkId">The id for key 0, or -1 when key 0 is an error.</param>
internal readonly record struct TokenRules(string ColumnName, bool IsKey, long VocabSize, long UnkId)
{
    public static TokenRules For(string columnName, bool isKey, RnnModelDescription model)
    {
        // Without a known vocabulary an int32 ids input still cannot take ids beyond Int32.MaxValue.
        long limit = model.VocabSize > 0 ? model.VocabSize
            : model.InputIdsType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32 ? int.MaxValue + 1L : 0;
        return new(columnName, isKey, limit, model.UnkId);
    }
}
