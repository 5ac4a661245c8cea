using Microsoft.ML.Data;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Text;

// Column layout of a CustomMapping step of the raw-text path: a file format (see TextTokenizerChain).
internal sealed class TokenizeOutput
{
    public const string Column = StockColumns.Prefix + "TextTokens";

    [ColumnName(Column)]
    [VectorType]
    public string[] Tokens { get; set; } = [];
}
