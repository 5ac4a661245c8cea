using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Text;

/// <summary>
/// Cuts text into tokens exactly as MlNetRnn.Training's <c>Vocabulary.Tokenize</c> does: optional
/// <see cref="string.ToLowerInvariant()"/>, then one token per UTF-16 code unit (character level) or the matches of the
/// word pattern, compiled with <see cref="RegexOptions.CultureInvariant"/> only (word level).
/// </summary>
internal static class TextTokenizer
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);
    private static readonly string?[] Characters = new string?[char.MaxValue + 1];

    public static string[] Tokenize(string text, TextTokenization settings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (settings.Lowercase)
            text = text.ToLowerInvariant();
        if (!settings.WordLevel)
        {
            var tokens = new string[text.Length];
            for (int i = 0; i < text.Length; i++)
                tokens[i] = Characters[text[i]] ??= text[i].ToString();
            return tokens;
        }

        var regex = Patterns.GetOrAdd(settings.Pattern, p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled));
        var matches = regex.Matches(text);
        var words = new string[matches.Count];
        for (int i = 0; i < words.Length; i++)
            words[i] = matches[i].Value;
        return words;
    }

    /// <summary>
    /// The same tokens as <see cref="Tokenize"/> (same boundaries, same count), but as written: when the settings lowercase,
    /// each token is cut from the original text at the position it has in the lowercased text
    /// (<see cref="string.ToLowerInvariant()"/> maps UTF-16 code units one to one, so positions agree).
    /// </summary>
    public static string[] TokenizeAsWritten(string text, TextTokenization settings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!settings.Lowercase)
            return Tokenize(text, settings);
        if (!settings.WordLevel)
            return Tokenize(text, settings with { Lowercase = false });
        var regex = Patterns.GetOrAdd(settings.Pattern, p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled));
        var matches = regex.Matches(text.ToLowerInvariant());
        var words = new string[matches.Count];
        for (int i = 0; i < words.Length; i++)
            words[i] = text.Substring(matches[i].Index, matches[i].Length);
        return words;
    }
}
