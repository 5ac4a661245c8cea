using Microsoft.ML.Data;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Text;

// Column layout of a CustomMapping step of the raw-text path: a file format (see TextTokenizerChain).
/// <summary>The constant key the tokenizer-settings <c>MapValue</c> looks up.</summary>
internal sealed class TokenizerKeyRow
{
    public const string Column = StockColumns.Prefix + "TokenizerKey";
    public const string Value = "tokenizer";

    [ColumnName(Column)]
    public string Key { get; set; } = Value;
}
