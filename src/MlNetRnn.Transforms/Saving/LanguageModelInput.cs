using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class LanguageModelInput
{
    [ColumnName(StockColumns.RawLogProbs)]
    [VectorType]
    public float[] LogProbs { get; set; } = [];

    [ColumnName(StockColumns.Ids)]
    [VectorType]
    public long[] Ids { get; set; } = [];

    [ColumnName(StockColumns.Length)]
    public int Length { get; set; }
}
