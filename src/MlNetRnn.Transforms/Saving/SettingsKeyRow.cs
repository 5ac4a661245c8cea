using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
/// <summary>The constant key the settings <c>MapValue</c> looks up.</summary>
internal sealed class SettingsKeyRow
{
    [ColumnName(StockColumns.SettingsKey)]
    public string Key { get; set; } = StockColumns.SettingsKeyValue;
}
