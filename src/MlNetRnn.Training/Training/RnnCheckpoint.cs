using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>
/// A saved model: its <see cref="RnnModelConfig"/>, its weights, and optionally its <see cref="Data.Vocabulary"/> and
/// <see cref="LabelSet"/>, in one zip file.
/// </summary>
/// <remarks>
/// The zip holds <c>checkpoint.json</c> (format, version and the config), <c>weights.bin</c> (TorchSharp's
/// <c>Module.save</c> format, parameters named as in PyTorch), and <c>vocabulary.json</c> / <c>labels.json</c> when given.
/// The config is checked against the model whenever weights are loaded into an existing model. A loaded
/// <see cref="Model"/> is owned by the caller, who disposes it.
/// </remarks>
public sealed class RnnCheckpoint
{
    private const string Format = "mlnetrnn.checkpoint";
    private const int Version = 1;
    private const string HeaderEntry = "checkpoint.json";
    private const string WeightsEntry = "weights.bin";
    private const string VocabularyEntry = "vocabulary.json";
    private const string LabelsEntry = "labels.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Converters = { new JsonStringEnumConverter() },
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private RnnCheckpoint(RnnSequenceModel model, Vocabulary? vocabulary, LabelSet? labels)
    {
        Model = model;
        Vocabulary = vocabulary;
        Labels = labels;
    }

    /// <summary>The model, built from the saved config with the saved weights, in evaluation mode. The caller owns it.</summary>
    public RnnSequenceModel Model { get; }

    /// <summary>The model's shape settings.</summary>
    public RnnModelConfig Config => Model.Config;

    /// <summary>The saved vocabulary, or <see langword="null"/> when none was saved.</summary>
    public Vocabulary? Vocabulary { get; }

    /// <summary>The saved class names, or <see langword="null"/> when none were saved.</summary>
    public LabelSet? Labels { get; }

    /// <summary>Saves a model (config and weights) with its vocabulary and labels to a file, replacing it.</summary>
    /// <param name="path">The file path (by convention <c>.ckpt</c>).</param>
    /// <param name="model">The model.</param>
    /// <param name="vocabulary">Its vocabulary, or <see langword="null"/>; its <c>Count</c> must equal the config's VocabSize.</param>
    /// <param name="labels">Its class names, or <see langword="null"/>; their count must equal the config's NumClasses.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The vocabulary or labels do not fit the model.</exception>
    public static void Save(string path, RnnSequenceModel model, Vocabulary? vocabulary = null, LabelSet? labels = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckSaveArguments(model, vocabulary, labels);
        using var file = File.Create(path);
        Save(file, model, vocabulary, labels);
    }

    /// <summary>Saves a model (config and weights) with its vocabulary and labels to a stream, left open.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="model">The model.</param>
    /// <param name="vocabulary">Its vocabulary, or <see langword="null"/>; its <c>Count</c> must equal the config's VocabSize.</param>
    /// <param name="labels">Its class names, or <see langword="null"/>; their count must equal the config's NumClasses.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The vocabulary or labels do not fit the model.</exception>
    public static void Save(Stream stream, RnnSequenceModel model, Vocabulary? vocabulary = null, LabelSet? labels = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckSaveArguments(model, vocabulary, labels);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, HeaderEntry, s => JsonSerializer.Serialize(s, new Header(Format, Version, model.Config), JsonOptions));
        WriteEntry(zip, WeightsEntry, s => model.save(s));
        if (vocabulary is not null)
            WriteEntry(zip, VocabularyEntry, vocabulary.Save);
        if (labels is not null)
            WriteEntry(zip, LabelsEntry, s => s.Write(Encoding.UTF8.GetBytes(labels.ToJson())));
    }

    /// <summary>Loads a checkpoint file: builds the model from the saved config and loads the weights.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="device">Where to put the model; <see langword="null"/> for the CPU.</param>
    /// <returns>The checkpoint; the caller owns its <see cref="Model"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FormatException">The file is not a checkpoint of a supported version.</exception>
    public static RnnCheckpoint Load(string path, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.OpenRead(path);
        return Load(file, device);
    }

    /// <summary>Loads a checkpoint from a stream: builds the model from the saved config and loads the weights.</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="device">Where to put the model; <see langword="null"/> for the CPU.</param>
    /// <returns>The checkpoint; the caller owns its <see cref="Model"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="FormatException">The stream is not a checkpoint of a supported version.</exception>
    public static RnnCheckpoint Load(Stream stream, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = OpenZip(stream);
        var config = ReadConfig(zip);
        var model = new RnnSequenceModel(config);
        try
        {
            LoadWeights(zip, model);
            model.to(device ?? CPU);
            model.eval();
            var vocabulary = zip.GetEntry(VocabularyEntry) is { } v ? ReadEntry(v, Vocabulary.Load) : null;
            var labels = zip.GetEntry(LabelsEntry) is { } l ? ReadEntry(l, s => LabelSet.FromJson(new StreamReader(s, Encoding.UTF8).ReadToEnd())) : null;
            return new RnnCheckpoint(model, vocabulary, labels);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads a checkpoint's weights into an existing model whose config must equal the saved one.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="model">The model to overwrite.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model's config differs from the saved one; the message names the setting and both values.</exception>
    /// <exception cref="FormatException">The file is not a checkpoint of a supported version.</exception>
    public static void LoadWeights(string path, RnnSequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        using var file = File.OpenRead(path);
        using var zip = OpenZip(file);
        var saved = ReadConfig(zip);
        CheckSameConfig(saved, model.Config, path);
        LoadWeights(zip, model);
    }

    /// <summary>Throws when two configs differ, naming the first differing setting with the saved and the actual value.</summary>
    internal static void CheckSameConfig(RnnModelConfig saved, RnnModelConfig actual, string source)
    {
        (string Name, object Saved, object Actual)[] settings =
        [
            (nameof(RnnModelConfig.Task), saved.Task, actual.Task),
            (nameof(RnnModelConfig.Cell), saved.Cell, actual.Cell),
            (nameof(RnnModelConfig.VocabSize), saved.VocabSize, actual.VocabSize),
            (nameof(RnnModelConfig.EmbeddingDim), saved.EmbeddingDim, actual.EmbeddingDim),
            (nameof(RnnModelConfig.HiddenSize), saved.HiddenSize, actual.HiddenSize),
            (nameof(RnnModelConfig.NumLayers), saved.NumLayers, actual.NumLayers),
            (nameof(RnnModelConfig.Bidirectional), saved.Bidirectional, actual.Bidirectional),
            (nameof(RnnModelConfig.Dropout), saved.Dropout, actual.Dropout),
            (nameof(RnnModelConfig.NumClasses), saved.NumClasses, actual.NumClasses),
            (nameof(RnnModelConfig.PadId), saved.PadId, actual.PadId),
            (nameof(RnnModelConfig.CharVocabSize), saved.CharVocabSize, actual.CharVocabSize),
            (nameof(RnnModelConfig.CharEmbeddingDim), saved.CharEmbeddingDim, actual.CharEmbeddingDim),
            (nameof(RnnModelConfig.CharHiddenSize), saved.CharHiddenSize, actual.CharHiddenSize),
            (nameof(RnnModelConfig.WordDropout), saved.WordDropout, actual.WordDropout),
            (nameof(RnnModelConfig.EmbeddingDropout), saved.EmbeddingDropout, actual.EmbeddingDropout),
            (nameof(RnnModelConfig.UnkId), saved.UnkId, actual.UnkId),
        ];
        foreach (var (name, savedValue, actualValue) in settings)
        {
            if (!Equals(savedValue, actualValue))
            {
                throw new ArgumentException(TrainingSupport.Invariant(
                    $"Checkpoint '{source}' was saved with {name} = {savedValue}, but the model has {name} = {actualValue}."), "model");
            }
        }
    }

    private static void CheckSaveArguments(RnnSequenceModel model, Vocabulary? vocabulary, LabelSet? labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Config;
        if (vocabulary is not null && vocabulary.Count != config.VocabSize)
            throw new ArgumentException($"{nameof(vocabulary)}: expected {config.VocabSize} tokens (the model's VocabSize), got {vocabulary.Count}.", nameof(vocabulary));
        if (labels is not null && config.Task == RnnTask.LanguageModel)
            throw new ArgumentException($"{nameof(labels)}: expected none for a language model, got {labels.Count}.", nameof(labels));
        if (labels is not null && labels.Count != config.OutputSize)
            throw new ArgumentException($"{nameof(labels)}: expected {config.OutputSize} labels (the model's NumClasses), got {labels.Count}.", nameof(labels));
    }

    private static ZipArchive OpenZip(Stream stream)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"Checkpoint: expected a zip file written by {nameof(RnnCheckpoint)}.{nameof(Save)}, got something else ({e.Message}).", e);
        }
    }

    private static RnnModelConfig ReadConfig(ZipArchive zip)
    {
        var entry = zip.GetEntry(HeaderEntry)
            ?? throw new FormatException($"Checkpoint: expected an entry '{HeaderEntry}', got entries [{string.Join(", ", zip.Entries.Select(e => e.FullName))}].");
        Header? header;
        try
        {
            header = ReadEntry(entry, s => JsonSerializer.Deserialize<Header>(s, JsonOptions));
        }
        catch (JsonException e)
        {
            throw new FormatException($"Checkpoint: '{HeaderEntry}' is not valid ({e.Message}).", e);
        }

        if (header is null || header.Format != Format)
            throw new FormatException($"Checkpoint: expected format \"{Format}\" in '{HeaderEntry}', got \"{header?.Format}\".");
        if (header.Version != Version)
            throw new FormatException($"Checkpoint: expected version {Version}, got {header.Version}.");
        if (header.Config is null)
            throw new FormatException($"Checkpoint: expected a config in '{HeaderEntry}', got none.");
        return header.Config;
    }

    private static void LoadWeights(ZipArchive zip, RnnSequenceModel model)
    {
        var entry = zip.GetEntry(WeightsEntry) ?? throw new FormatException($"Checkpoint: expected an entry '{WeightsEntry}', got none.");
        using var weights = new MemoryStream();
        using (var source = entry.Open())
            source.CopyTo(weights);
        weights.Position = 0;
        using var _ = no_grad();
        model.load(weights, strict: true);
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        write(stream);
    }

    private static T ReadEntry<T>(ZipArchiveEntry entry, Func<Stream, T> read)
    {
        using var stream = entry.Open();
        return read(stream);
    }

    private sealed record Header(string Format, int Version, RnnModelConfig Config);
}
