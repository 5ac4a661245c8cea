using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class WordsInput
{
    [ColumnName(StockColumns.Words)]
    [VectorType]
    public string[] Words { get; set; } = [];

    [ColumnName(StockColumns.Length)]
    public int Length { get; set; }

    [ColumnName(StockColumns.Settings)]
    public ReadOnlyMemory<char> Settings { get; set; }
}
