using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class RawHiddenInput
{
    [ColumnName(StockColumns.RawHidden)]
    [VectorType]
    public float[] Raw { get; set; } = [];

    [ColumnName(StockColumns.Length)]
    public int Length { get; set; }
}
