using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Text;

// A CustomMapping step of the raw-text path for models that read characters: the tokens of TokenizeMapping, as written
// (case kept). The contract name and column layouts are a file format: never change them, add new versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class WordsMapping : CustomMappingFactory<TokenizeInput, WordsOutput>
{
    public const string ContractName = "MlNetRnn.TokenizeAsWritten.v1";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TextTokenization> Parsed = new(StringComparer.Ordinal);

    public static void Map(TokenizeInput input, WordsOutput output) =>
        output.Words = TextTokenizer.TokenizeAsWritten(input.Text ?? string.Empty, Parsed.GetOrAdd(input.Settings, TextTokenization.Parse));

    public override Action<TokenizeInput, WordsOutput> GetMapping() => Map;
}
