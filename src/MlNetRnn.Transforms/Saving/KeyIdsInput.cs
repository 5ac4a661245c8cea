using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class KeyIdsInput
{
    [ColumnName(StockColumns.In)]
    [VectorType]
    public uint[] Keys { get; set; } = [];

    [ColumnName(StockColumns.Settings)]
    public ReadOnlyMemory<char> Settings { get; set; }
}
