using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Text;

/// <summary>
/// Turns raw text into a language model's ids with the model's own contract: its tokenization settings, its vocabulary
/// (the first id of a repeated token wins) and its unknown id for tokens outside the vocabulary.
/// </summary>
internal sealed class TokenIds
{
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
    private readonly TextTokenization tokenization;
    private readonly long unkId;

    /// <summary>Needs a model whose metadata has a vocabulary and tokenization settings.</summary>
    public TokenIds(RnnModelDescription model)
        : this(model.Tokenization ?? throw new InvalidOperationException("The model has no tokenization settings."),
            model.Vocabulary ?? throw new InvalidOperationException("The model has no vocabulary."), model.UnkId)
    {
    }

    /// <summary>A vocabulary (index = id), its tokenization and its unknown id (-1 for none).</summary>
    public TokenIds(TextTokenization tokenization, IReadOnlyList<string> vocabulary, long unkId)
    {
        this.tokenization = tokenization;
        for (int i = 0; i < vocabulary.Count; i++)
            ids.TryAdd(vocabulary[i], i);
        this.unkId = unkId;
    }

    /// <summary>True for word-level tokenization, false for characters.</summary>
    public bool WordLevel => tokenization.WordLevel;

    /// <summary>The tokens of <paramref name="text"/>.</summary>
    public string[] Tokenize(string text) => TextTokenizer.Tokenize(text, tokenization);

    /// <summary>The id of every token.</summary>
    /// <exception cref="ArgumentException">A token is not in the vocabulary and the model has no unknown id; names the token and its position.</exception>
    public long[] Encode(string[] tokens, string parameterName)
    {
        var result = new long[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            result[i] = ids.TryGetValue(tokens[i], out int id) ? id
                : unkId >= 0 ? unkId
                : throw new ArgumentException($"{parameterName}: token {i} '{tokens[i]}' is not in the vocabulary and the model has no unknown id.", parameterName);
        }

        return result;
    }
}
