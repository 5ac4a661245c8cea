using Microsoft.ML.Transforms;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class PrepareKeyIdsMapping : CustomMappingFactory<KeyIdsInput, PreparedIds>
{
    public const string ContractName = "MlNetRnn.PrepareKeyIds.v1";

    public static void Map(KeyIdsInput input, PreparedIds output) =>
        output.Fill<uint>(input.Keys, keys: true, SavedScorerSettings.FromColumn(input.Settings));

    public override Action<KeyIdsInput, PreparedIds> GetMapping() => Map;
}
