using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Text;

// A CustomMapping step of the raw-text path. The contract name and column layouts are a file format (saved models
// refer to them): never change them, add new versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class TokenizeMapping : CustomMappingFactory<TokenizeInput, TokenizeOutput>
{
    public const string ContractName = "MlNetRnn.Tokenize.v1";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TextTokenization> Parsed = new(StringComparer.Ordinal);

    public static void Map(TokenizeInput input, TokenizeOutput output)
    {
        var settings = Parsed.GetOrAdd(input.Settings, Read);
        output.Tokens = TextTokenizer.Tokenize(input.Text ?? string.Empty, settings);
    }

    private static TextTokenization Read(string json)
    {
        try
        {
            return TextTokenization.Parse(json);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The saved model's tokenizer settings are damaged or from an older MlNetRnn (save the model again): {e.Message}", e);
        }
    }

    public override Action<TokenizeInput, TokenizeOutput> GetMapping() => Map;
}
