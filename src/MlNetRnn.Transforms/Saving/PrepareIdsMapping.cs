using Microsoft.ML.Transforms;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class PrepareIdsMapping : CustomMappingFactory<RawIdsInput, PreparedIds>
{
    public const string ContractName = "MlNetRnn.PrepareIds.v1";

    public static void Map(RawIdsInput input, PreparedIds output) =>
        output.Fill<long>(input.Ids, keys: false, SavedScorerSettings.FromColumn(input.Settings));

    public override Action<RawIdsInput, PreparedIds> GetMapping() => Map;
}
