using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class TokenClasses
{
    [ColumnName(StockColumns.Scores)]
    [VectorType]
    public float[] Scores { get; set; } = [];

    [ColumnName(StockColumns.LabelName)]
    [VectorType]
    public string[] Labels { get; set; } = [];
}
