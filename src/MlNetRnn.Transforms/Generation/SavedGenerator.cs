using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// A generator as the saved stock-ML.NET chain carries it: the settings and the whole package (base64), as one JSON string
/// in a <c>MapValue</c> step. A file format: add fields, never rename them.
/// </summary>
internal sealed record SavedGenerator
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required GenerationSettings Settings { get; init; }

    public required string Package { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <exception cref="InvalidDataException">The text is not this format, or its settings or package are invalid.</exception>
    public static SavedGenerator FromJson(string json)
    {
        SavedGenerator? saved;
        try
        {
            saved = JsonSerializer.Deserialize<SavedGenerator>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The saved generator is not valid JSON of this library's format: {e.Message}", e);
        }

        if (saved is null || saved.Version != CurrentVersion)
            throw new InvalidDataException($"The saved generator has version {saved?.Version}; this library reads version {CurrentVersion}.");
        try
        {
            saved.Settings.Validated();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved generator's settings are out of range: {e.Message}", e);
        }

        return saved;
    }

    /// <summary>The package and settings as a core; the package is checked again.</summary>
    public GenerationCore Core() => new(GeneratorPackage.Read(Convert.FromBase64String(Package), "Saved generator package"), Settings);

    private static readonly ConditionalWeakTable<string, StockGenerator> Cache = new();

    /// <summary>
    /// The generator of the saved chain's package column. The column holds the same string for every row, so the package is
    /// opened once per loaded model (its sessions live as long as that string).
    /// </summary>
    public static StockGenerator FromColumn(ReadOnlyMemory<char> text)
    {
        if (MemoryMarshal.TryGetString(text, out string? whole, out int start, out int length) && start == 0 && length == whole.Length)
            return Cache.GetValue(whole, s => new StockGenerator(FromJson(s).Core()));
        return new StockGenerator(FromJson(text.ToString()).Core());
    }

    /// <summary>A core with its own sessions, for the saved chain's row-by-row mapping.</summary>
    internal sealed class StockGenerator(GenerationCore core)
    {
        private readonly GeneratorSessions sessions = GeneratorSessions.Open(core.Package, core.Settings.IntraOpThreads);

        public GenerationCore Core => core;

        public GenerationOutput Generate(GenerationInput input)
        {
            using var lease = sessions.Acquire(nameof(RnnGenerationTransformer));
            return core.Generate(lease.Steps, [input])[0];
        }
    }
}
