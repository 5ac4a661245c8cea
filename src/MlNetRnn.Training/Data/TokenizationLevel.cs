namespace MlNetRnn.Training.Data;

/// <summary>What a <see cref="Vocabulary"/> token is.</summary>
public enum TokenizationLevel
{
    /// <summary>One token per UTF-16 code unit (a .NET <see cref="char"/>), whitespace included.</summary>
    Character,
    /// <summary>Words and single punctuation marks, matched by <see cref="Vocabulary.WordPattern"/>; whitespace is dropped.</summary>
    Word,
}
