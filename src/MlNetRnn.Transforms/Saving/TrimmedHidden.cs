using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class TrimmedHidden
{
    [ColumnName(StockColumns.Hidden)]
    [VectorType]
    public float[] Hidden { get; set; } = [];
}
