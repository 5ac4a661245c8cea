using System.Globalization;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class PreparedChars
{
    [ColumnName(StockColumns.CharIds)]
    [VectorType]
    public long[] Ids { get; set; } = [];

    [ColumnName(StockColumns.CharLengths)]
    [VectorType]
    public long[] Lengths { get; set; } = [];

    /// <summary>
    /// One row's character ids (T, W) with W = <see cref="SavedScorerSettings.MaxWordLength"/>, padded with 0, and the word
    /// lengths (T), mapped as the batched scorer maps them; an empty row gets one empty word, as its ids get one pad id.
    /// </summary>
    /// <exception cref="InvalidDataException">The word count differs from the token count, or a word is longer than W.</exception>
    public void Fill(string[] words, int tokens, SavedScorerSettings settings)
    {
        string column = settings.Options.CharactersColumnName!;
        if (words.Length != tokens)
            throw CharacterColumnReader.WordCountError(-1, column, settings.InputColumnName, tokens, words.Length);
        int T = Math.Max(tokens, 1), W = settings.MaxWordLength;
        Ids = new long[T * W];
        Lengths = new long[T];
        var ids = settings.CharIds();
        for (int t = 0; t < tokens; t++)
        {
            string word = words[t] ?? string.Empty;
            if (word.Length > W)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Row unknown, column '{column}', token {t}: a word of {word.Length} characters, but ML.NET's row-by-row form of a saved scorer takes words of at most {W} characters. Load the model with mlContext.Model.LoadWithRnnFastPath, which has no such limit."));
            }

            Lengths[t] = word.Length;
            for (int k = 0; k < word.Length; k++)
                Ids[t * W + k] = ids.TryGetValue(word[k], out long id) ? id : CharacterColumnReader.UnknownCharId;
        }
    }
}
