using System.Text.Json.Serialization;

namespace MlNetRnn.Training.Data;

/// <summary>What a <see cref="Vocabulary"/> token is; written as <c>"char"</c> or <c>"word"</c> in the tokenization JSON.</summary>
public enum TokenizationLevel
{
    /// <summary>One token per UTF-16 code unit (a .NET <see cref="char"/>), whitespace included.</summary>
    [JsonStringEnumMemberName("char")]
    Character,
    /// <summary>The matches of <see cref="TokenizationSettings.Pattern"/> (by default words and single punctuation marks); whitespace is dropped.</summary>
    [JsonStringEnumMemberName("word")]
    Word,
}
