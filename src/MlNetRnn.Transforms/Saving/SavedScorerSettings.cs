using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using MlNetRnn.Transforms.Data;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Saving;

/// <summary>
/// Everything the stock-ML.NET form of a scorer needs at run time, and everything <see cref="RnnModelLoader"/> needs to
/// rebuild the batched transformer. Stored as JSON in a <c>MapValue</c> transform inside the saved chain.
/// </summary>
internal sealed record SavedScorerSettings
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    // What the rows look like.
    public required string InputColumnName { get; init; }

    // How ids are checked and fed.
    public required bool IsMlNetRnnFormat { get; init; }

    public required RnnModelTask Task { get; init; }

    public long VocabSize { get; init; }

    public long PadId { get; init; }

    public long UnkId { get; init; } = -1;

    public int StateSize { get; init; }

    public bool ScoresAreLogits { get; init; }

    public IReadOnlyList<string> LabelNames { get; init; } = [];

    /// <summary>The model's ids input is int32, so ids above Int32.MaxValue are refused (false in settings saved before it existed).</summary>
    public bool InputIdsAreInt32 { get; init; }

    /// <summary>The model's character vocabulary (index = id), or null for a model that reads no characters.</summary>
    public IReadOnlyList<string>? CharVocabulary { get; init; }

    /// <summary>
    /// The fixed width (characters per word) the saved chain feeds a character model: ML.NET's <c>ApplyOnnxModel</c> infers
    /// at most one unknown dimension per input, so the word axis of <c>char_ids</c> is fixed when saving. 0 without characters.
    /// </summary>
    public int MaxWordLength { get; init; }

    // The scorer's settings (model bytes travel separately; JSON names match RnnScoringOptions').
    public required RnnScorerSettings Options { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    private Dictionary<char, long>? charIds;

    /// <summary>Character → id of <see cref="CharVocabulary"/>, the batched scorer's own rule (<see cref="CharacterColumnReader"/>).</summary>
    public Dictionary<char, long> CharIds() => charIds ??= CharacterColumnReader.IdsOf(CharVocabulary ?? []);

    /// <summary>The id rules of the token column, the batched scorer's own (<see cref="TokenRules"/>).</summary>
    public TokenRules Rules(bool keys) => new(InputColumnName, keys, VocabSize, UnkId, InputIdsAreInt32);

    public static SavedScorerSettings FromJson(string json)
    {
        SavedScorerSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<SavedScorerSettings>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The saved RNN scorer settings are not valid JSON of this library's format: {e.Message}", e);
        }

        if (settings is null)
            throw new InvalidDataException("The saved RNN scorer settings are empty.");
        if (settings.Version != CurrentVersion)
            throw new InvalidDataException($"The saved RNN scorer settings have version {settings.Version}; this library reads version {CurrentVersion}.");
        try
        {
            settings.Options.Validated();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved RNN scorer settings are out of range: {e.Message}", e);
        }

        if (settings.Options.CharactersColumnName is not null && (settings.CharVocabulary is null || settings.MaxWordLength < 1))
            throw new InvalidDataException($"The saved RNN scorer settings name a characters column ('{settings.Options.CharactersColumnName}') but have {(settings.CharVocabulary is null ? "no character vocabulary" : $"a word width of {settings.MaxWordLength}")}.");
        int bad = settings.CharVocabulary?.Skip(2).ToList().FindIndex(c => c is not { Length: 1 }) ?? -1;
        if (bad >= 0)
            throw new InvalidDataException($"The saved RNN scorer settings' character vocabulary has '{settings.CharVocabulary![bad + 2]}' at id {bad + 2}; expected one UTF-16 character at every id after 0 and 1.");

        return settings;
    }

    private static readonly ConditionalWeakTable<string, SavedScorerSettings> ByString = new();
    private static readonly ConcurrentDictionary<string, SavedScorerSettings> ByContent = new(StringComparer.Ordinal);

    /// <summary>
    /// Parses the settings column of the current row. The column holds the same string for every row, so the parse is
    /// cached by reference (and by content when the text is not backed by a string).
    /// </summary>
    public static SavedScorerSettings FromColumn(ReadOnlyMemory<char> text)
    {
        if (MemoryMarshal.TryGetString(text, out string? whole, out int start, out int length) && start == 0 && length == whole.Length)
            return ByString.GetValue(whole, FromJson);
        string copy = text.ToString();
        return ByContent.Count < 64 ? ByContent.GetOrAdd(copy, FromJson) : FromJson(copy);
    }
}
