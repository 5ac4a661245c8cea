using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Onnx;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Text;

// The CustomMapping steps of the raw-text path. The contract names and column layouts are a file format (saved models
// refer to them): never change them, add new versions instead.

/// <summary>The constant key the tokenizer-settings <c>MapValue</c> looks up.</summary>
internal sealed class TokenizerKeyRow
{
    public const string Column = StockColumns.Prefix + "TokenizerKey";
    public const string Value = "tokenizer";

    [ColumnName(Column)]
    public string Key { get; set; } = Value;
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class TokenizerKeyMapping : CustomMappingFactory<NoColumns, TokenizerKeyRow>
{
    public const string ContractName = "MlNetRnn.TokenizerKey.v1";

    public static void Map(NoColumns input, TokenizerKeyRow output) => output.Key = TokenizerKeyRow.Value;

    public override Action<NoColumns, TokenizerKeyRow> GetMapping() => Map;
}

internal sealed class TokenizeInput
{
    public const string TextColumn = StockColumns.Prefix + "Text";
    public const string SettingsColumn = StockColumns.Prefix + "Tokenizer";

    [ColumnName(TextColumn)]
    public string Text { get; set; } = string.Empty;

    [ColumnName(SettingsColumn)]
    public string Settings { get; set; } = string.Empty;
}

internal sealed class TokenizeOutput
{
    public const string Column = StockColumns.Prefix + "TextTokens";

    [ColumnName(Column)]
    [VectorType]
    public string[] Tokens { get; set; } = [];
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class TokenizeMapping : CustomMappingFactory<TokenizeInput, TokenizeOutput>
{
    public const string ContractName = "MlNetRnn.Tokenize.v1";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TextTokenization> Parsed = new(StringComparer.Ordinal);

    public static void Map(TokenizeInput input, TokenizeOutput output)
    {
        var settings = Parsed.GetOrAdd(input.Settings, TextTokenization.Parse);
        output.Tokens = TextTokenizer.Tokenize(input.Text ?? string.Empty, settings);
    }

    public override Action<TokenizeInput, TokenizeOutput> GetMapping() => Map;
}
