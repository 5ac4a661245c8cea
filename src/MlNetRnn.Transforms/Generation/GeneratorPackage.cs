using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using MlNetRnn.Transforms.Onnx;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// A generator package read from its bytes: the zip is opened once, the manifest is checked field by field and the two
/// graphs are kept as bytes (their inputs and outputs are checked by <see cref="OnnxDecoderSteps"/> once sessions exist).
/// Every error is an <see cref="InvalidDataException"/> naming the package, the entry and the field.
/// </summary>
internal sealed class GeneratorPackage
{
    private GeneratorPackage(byte[] bytes, string source, GeneratorManifest manifest, byte[] encoder, byte[] decoderStep)
    {
        Bytes = bytes;
        Source = source;
        Manifest = manifest;
        Encoder = encoder;
        DecoderStep = decoderStep;
    }

    /// <summary>The whole zip, as read (saved with a model).</summary>
    public byte[] Bytes { get; }

    /// <summary>What the bytes are, for messages: <c>Generator package 'x.zip'</c>.</summary>
    public string Source { get; }

    public GeneratorManifest Manifest { get; }

    public byte[] Encoder { get; }

    public byte[] DecoderStep { get; }

    public bool IsSequenceToSequence => Manifest.Kind == Kinds.SequenceToSequence;

    /// <summary>The graph entry and what was wrong with it, for messages.</summary>
    public string Describe(string entry) => $"{Source}, entry '{entry}'";

    /// <summary>Reads a package file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The package is damaged or its manifest is invalid.</exception>
    public static GeneratorPackage ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Generator package '{path}' does not exist.", path);
        return Read(File.ReadAllBytes(path), $"Generator package '{path}'");
    }

    /// <summary>Reads a package from its bytes (kept, not copied).</summary>
    /// <exception cref="InvalidDataException">The package is damaged or its manifest is invalid.</exception>
    public static GeneratorPackage Read(byte[] bytes, string source = "Generator package")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using (var zip = ZipArchives.OpenRead(bytes, source))
        {
            byte[] manifestBytes = Entry(zip, GeneratorManifest.EntryName, source);
            GeneratorManifest? manifest;
            try
            {
                manifest = JsonSerializer.Deserialize<GeneratorManifest>(manifestBytes);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{source}, entry '{GeneratorManifest.EntryName}': not a valid manifest JSON ({e.Message}).", e);
            }

            if (manifest is null)
                throw new InvalidDataException($"{source}, entry '{GeneratorManifest.EntryName}': the manifest is null.");
            ManifestRules.Check(manifest, $"{source}, entry '{GeneratorManifest.EntryName}'");
            return new GeneratorPackage(bytes, source, manifest, Entry(zip, GeneratorManifest.EncoderEntryName, source), Entry(zip, GeneratorManifest.DecoderStepEntryName, source));
        }
    }

    private static byte[] Entry(ZipArchive zip, string name, string source)
    {
        var entry = zip.GetEntry(name)
            ?? throw new InvalidDataException($"{source}: expected an entry '{name}', got entries {string.Join(", ", zip.Entries.Select(e => $"'{e.FullName}'"))}.");
        try
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (copy.Length == 0)
                throw new InvalidDataException($"{source}, entry '{name}': the entry is empty.");
            return copy.ToArray();
        }
        catch (InvalidDataException e) when (e.InnerException is null && !e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}, entry '{name}': the entry cannot be decompressed ({e.Message}).", e);
        }
    }

    /// <summary>The manifest's <see cref="GeneratorManifest.Kind"/> values.</summary>
    internal static class Kinds
    {
        public const string SequenceToSequence = "seq2seq";
        public const string Conditioned = "conditioned";
    }

    /// <summary>Field-by-field checks of a manifest; messages name the field by its JSON path.</summary>
    private static class ManifestRules
    {
        public static void Check(GeneratorManifest m, string where)
        {
            void Fail(string field, string expected, object? got) =>
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}, field '{field}': expected {expected}, got {Show(got)}."));

            if (m.FormatVersion != GeneratorManifest.CurrentFormatVersion)
                Fail("formatVersion", $"{GeneratorManifest.CurrentFormatVersion} (the version this library reads)", m.FormatVersion);
            if (m.Kind is not (Kinds.SequenceToSequence or Kinds.Conditioned))
                Fail("kind", "\"seq2seq\" or \"conditioned\"", m.Kind);
            if (m.DecoderCell is not ("rnn" or "lstm" or "gru"))
                Fail("decoderCell", "\"rnn\", \"lstm\" or \"gru\"", m.DecoderCell);

            bool seq2seq = m.Kind == Kinds.SequenceToSequence;
            if (seq2seq)
            {
                if (m.Source is not { } source)
                {
                    Fail("source", "the source side of a seq2seq package", null);
                    return;
                }

                if (m.Condition is not null)
                    Fail("condition", "null in a seq2seq package", new Described("a condition"));
                if (source.Tokens is null || source.Tokens.Count == 0 || source.Tokens.Any(t => t is null))
                    Fail("source.tokens", "a non-empty list of tokens", source.Tokens is null ? null : new Described($"{source.Tokens.Count} tokens"));
                Id("source.padId", source.PadId, source.Tokens!.Count);
                Id("source.unknownId", source.UnknownId, source.Tokens.Count);
                try
                {
                    TextTokenization.Parse(source.Tokenization ?? "");
                }
                catch (FormatException e)
                {
                    Fail("source.tokenization", "the tokenization JSON of the ONNX model format", new Described($"'{source.Tokenization}' ({e.Message})"));
                }

                if (source.MaxLength < 0)
                    Fail("source.maxLength", "0 (not recorded) or more", source.MaxLength);
                if (m.ConditionAtFirstStep)
                    Fail("conditionAtFirstStep", "false in a seq2seq package", true);
            }
            else
            {
                if (m.Condition is not { } condition)
                {
                    Fail("condition", "the condition of a conditioned package", null);
                    return;
                }

                if (m.Source is not null)
                    Fail("source", "null in a conditioned package", new Described("a source side"));
                if (condition.Size < 1)
                    Fail("condition.size", "at least 1", condition.Size);
                if (condition.ClassNames is { } classes && (classes.Count != condition.Size || classes.Any(string.IsNullOrEmpty)))
                    Fail("condition.classNames", $"null or {condition.Size} non-empty names (one per one-hot index)", new Described($"{classes.Count} names"));
                if (m.Attention)
                    Fail("attention", "false in a conditioned package (there is nothing to attend to)", true);
            }

            var target = m.Target;
            if (target is null)
            {
                Fail("target", "the target side", null);
                return;
            }

            if (target.Tokens is null || target.Tokens.Count < 3 || target.Tokens.Any(t => t is null))
                Fail("target.tokens", "a list of at least 3 tokens (PAD, BOS, EOS and what is generated)", target.Tokens is null ? null : new Described($"{target.Tokens.Count} tokens"));
            int V = target.Tokens!.Count;
            Id("target.bosId", target.BosId, V);
            Id("target.eosId", target.EosId, V);
            Id("target.padId", target.PadId, V);
            if (target.EosId == target.PadId || target.BosId == target.PadId)
                Fail("target.padId", "an id other than BOS and EOS", target.PadId);
            if (target.Joiner is null)
                Fail("target.joiner", "a string (\"\" for characters)", null);
            if (m.MaxTargetLength < 0)
                Fail("maxTargetLength", "0 (not recorded) or more", m.MaxTargetLength);

            if (m.States is null || m.States.Count == 0)
                Fail("states", "at least one decoder state", m.States is null ? null : new Described("none"));
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < m.States!.Count; i++)
            {
                var state = m.States[i];
                string field = $"states[{i}]";
                if (state is null)
                {
                    Fail(field, "a state", null);
                    return;
                }

                if (string.IsNullOrWhiteSpace(state.Name) || IsReserved(state.Name) || !names.Add(state.Name))
                    Fail($"{field}.name", "a unique name that is not a graph input or output of the contract", state.Name);
                if (string.IsNullOrWhiteSpace(state.NextName) || IsReserved(state.NextName) || !names.Add(state.NextName))
                    Fail($"{field}.nextName", "a unique name that is not a graph input or output of the contract", state.NextName);
                if (state.Shape is null || state.Shape.Count(d => d == -1) != 1 || state.Shape.Any(d => d is < 1 and not -1))
                    Fail($"{field}.shape", "dimensions ≥ 1 with exactly one -1 (the batch axis)", state.Shape is null ? null : new Described($"[{string.Join(", ", state.Shape)}]"));
            }

            void Id(string field, int id, int count)
            {
                if (id < 0 || id >= count)
                    Fail(field, $"an id in 0…{count - 1}", id);
            }
        }

        /// <summary>A value shown as is, not quoted.</summary>
        private sealed record Described(string Text);

        private static bool IsReserved(string name) => name is GeneratorGraphNames.SourceIds or GeneratorGraphNames.SourceLengths
            or GeneratorGraphNames.EncoderOutputs or GeneratorGraphNames.Condition or GeneratorGraphNames.PreviousToken or GeneratorGraphNames.LogProbabilities;

        private static string Show(object? value) => value switch
        {
            null => "null",
            Described d => d.Text,
            string s => $"\"{s}\"",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }
}
