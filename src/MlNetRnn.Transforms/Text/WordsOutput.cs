using Microsoft.ML.Data;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Text;

// Column layout of the CustomMapping step that gives a character-aware model its words as written (see TextTokenizerChain).
internal sealed class WordsOutput
{
    public const string Column = StockColumns.Prefix + "TextWords";

    [ColumnName(Column)]
    [VectorType]
    public string[] Words { get; set; } = [];
}
