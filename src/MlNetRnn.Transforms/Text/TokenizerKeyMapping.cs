using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Text;

// A CustomMapping step of the raw-text path. The contract name and column layouts are a file format (saved models
// refer to them): never change them, add new versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class TokenizerKeyMapping : CustomMappingFactory<NoColumns, TokenizerKeyRow>
{
    public const string ContractName = "MlNetRnn.TokenizerKey.v1";

    public static void Map(NoColumns input, TokenizerKeyRow output) => output.Key = TokenizerKeyRow.Value;

    public override Action<NoColumns, TokenizerKeyRow> GetMapping() => Map;
}
