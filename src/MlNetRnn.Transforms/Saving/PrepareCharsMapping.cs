using Microsoft.ML.Transforms;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class PrepareCharsMapping : CustomMappingFactory<WordsInput, PreparedChars>
{
    public const string ContractName = "MlNetRnn.PrepareChars.v1";

    public static void Map(WordsInput input, PreparedChars output) =>
        output.Fill(input.Words, input.Length, SavedScorerSettings.FromColumn(input.Settings));

    public override Action<WordsInput, PreparedChars> GetMapping() => Map;
}
