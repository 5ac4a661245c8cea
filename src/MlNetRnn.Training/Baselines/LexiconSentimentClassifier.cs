using System.Text.RegularExpressions;

namespace MlNetRnn.Training.Baselines;

/// <summary>
/// A word-list sentiment baseline that mirrors the npm package <c>sentiment@5.0.2</c> (AFINN-165 word list, Nielsen 2011):
/// the text's score is the sum of the scores of its tokens, a token's score flipping sign when the token before it is a
/// negator ("not", "don't", …); the text is positive when the score is 0 or more.
/// </summary>
/// <remarks>
/// <para>
/// Tokenization follows the package's <c>lib/tokenize.js</c>: lowercase, replace <c>. , / # ! ? $ % ^ &amp; * ; : { } = _ ` " ~ ( )</c>
/// with spaces, collapse runs of whitespace, trim, split on spaces. Multi-word list entries ("does not work") can therefore
/// never match, as in the package.
/// </para>
/// <para>
/// The tie rule (a score of 0, which includes texts without any listed word, counts as positive) is the package's own
/// evaluation on these data (<c>test/benchmark/validate.js</c>: <c>comparative &gt;= 0</c> is positive; the comparative
/// score is the score divided by the token count, so it has the score's sign). Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed partial class LexiconSentimentClassifier
{
    private readonly IReadOnlyDictionary<string, int> scores;
    private readonly IReadOnlySet<string> negators;

    /// <summary>Creates the classifier from a word list.</summary>
    /// <param name="scores">Score of each listed token (AFINN: −5 … +5); keys are matched against lowercased tokens.</param>
    /// <param name="negators">Tokens that flip the sign of the next token's score.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> or <paramref name="negators"/> is null.</exception>
    public LexiconSentimentClassifier(IReadOnlyDictionary<string, int> scores, IReadOnlySet<string> negators)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(negators);
        this.scores = scores;
        this.negators = negators;
    }

    /// <summary>Splits text into tokens the way the <c>sentiment</c> package does.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The tokens; one empty token for text without any (as the package's <c>"".split(' ')</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string cleaned = Punctuation().Replace(text.ToLowerInvariant().Replace('\n', ' '), " ");
        return WhitespaceRun().Replace(cleaned, " ").Trim().Split(' ');
    }

    /// <summary>The text's score: the sum of its tokens' scores, each negated when the token before it is a negator.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The score (0 when no token is listed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int Score(string text)
    {
        var tokens = Tokenize(text);
        int score = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (!scores.TryGetValue(tokens[i], out int tokenScore))
                continue;
            score += i > 0 && negators.Contains(tokens[i - 1]) ? -tokenScore : tokenScore;
        }
        return score;
    }

    /// <summary>Predicts the class: 1 (positive) when <see cref="Score"/> is 0 or more, else 0 (negative).</summary>
    /// <param name="text">Any text.</param>
    /// <returns>0 or 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int Predict(string text) => Score(text) >= 0 ? 1 : 0;

    [GeneratedRegex("""[.,/#!?$%\^&*;:{}=_`"~()]""")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\s\s+")]
    private static partial Regex WhitespaceRun();
}
