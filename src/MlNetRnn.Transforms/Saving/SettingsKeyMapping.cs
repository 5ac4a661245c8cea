using Microsoft.ML.Transforms;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SettingsKeyMapping : CustomMappingFactory<NoColumns, SettingsKeyRow>
{
    public const string ContractName = "MlNetRnn.SettingsKey.v1";

    public static void Map(NoColumns input, SettingsKeyRow output) => output.Key = StockColumns.SettingsKeyValue;

    public override Action<NoColumns, SettingsKeyRow> GetMapping() => Map;
}
