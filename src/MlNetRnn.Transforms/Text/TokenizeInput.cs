using Microsoft.ML.Data;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Text;

// Column layout of a CustomMapping step of the raw-text path: a file format (see TextTokenizerChain).
internal sealed class TokenizeInput
{
    public const string TextColumn = StockColumns.Prefix + "Text";
    public const string SettingsColumn = StockColumns.Prefix + "Tokenizer";

    [ColumnName(TextColumn)]
    public string Text { get; set; } = string.Empty;

    [ColumnName(SettingsColumn)]
    public string Settings { get; set; } = string.Empty;
}
