using Microsoft.ML.Transforms;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class TrimHiddenMapping : CustomMappingFactory<RawHiddenInput, TrimmedHidden>
{
    public const string ContractName = "MlNetRnn.TrimHidden.v1";

    public static void Map(RawHiddenInput input, TrimmedHidden output)
    {
        int L = input.Length;
        int features = input.Raw.Length / Math.Max(L, 1);
        output.Hidden = input.Raw.AsSpan(0, L * features).ToArray();
    }

    public override Action<RawHiddenInput, TrimmedHidden> GetMapping() => Map;
}
