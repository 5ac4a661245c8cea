using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MlNetRnn.Training.Data;

/// <summary>Class names and their 0-based class indices (the model's output positions).</summary>
/// <remarks>
/// The JSON form (<see cref="ToJson"/>) is a plain array of names, index = class, as in the ONNX metadata key
/// <c>mlnetrnn.labels</c>. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class LabelSet
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string[] names;
    private readonly Dictionary<string, int> indices;

    private LabelSet(string[] names)
    {
        this.names = names;
        indices = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] is null)
                throw new ArgumentNullException(nameof(names), $"Label names: name at index {i} is null.");
            if (!indices.TryAdd(names[i], i))
                throw new ArgumentException($"Label names: expected distinct names, but \"{names[i]}\" appears at indices {indices[names[i]]} and {i}.", nameof(names));
        }
    }

    /// <summary>Number of classes.</summary>
    public int Count => names.Length;

    /// <summary>The names in class order: <c>Names[i]</c> is the name of class <c>i</c>.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>The name of a class.</summary>
    /// <param name="index">A class index in <c>[0, Count)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside <c>[0, Count)</c>.</exception>
    public string this[int index]
    {
        get
        {
            if ((uint)index >= (uint)names.Length)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"{nameof(index)}: expected a class index in [0, {names.Length}), got {index}.");
            return names[index];
        }
    }

    /// <summary>Collects the distinct labels seen in data, ordered ordinally (so the result does not depend on data order).</summary>
    /// <param name="labels">Every label occurrence, for example one per training example or one per token.</param>
    /// <returns>The label set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> or one of its items is null.</exception>
    public static LabelSet Build(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string label in labels)
        {
            if (label is null)
                throw new ArgumentNullException(nameof(labels), $"{nameof(labels)}: item {distinct.Count} is null.");
            distinct.Add(label);
        }

        return new LabelSet([.. distinct]);
    }

    /// <summary>Restores a label set from its names in class order (for example <see cref="Names"/> of a saved one).</summary>
    /// <param name="names">Distinct names, index = class.</param>
    /// <returns>The label set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> or a name is null.</exception>
    /// <exception cref="ArgumentException">A name repeats.</exception>
    public static LabelSet FromNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new LabelSet(names.ToArray());
    }

    /// <summary>The class index of a name.</summary>
    /// <param name="name">The name, matched ordinally.</param>
    /// <returns>The class index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not in the set.</exception>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (indices.TryGetValue(name, out int index))
            return index;
        string known = string.Join(", ", names.Take(10).Select(n => $"\"{n}\"")) + (names.Length > 10 ? ", …" : string.Empty);
        throw new ArgumentException($"{nameof(name)}: expected one of the {names.Length} labels [{known}], got \"{name}\".", nameof(name));
    }

    /// <summary>Looks a name up without throwing.</summary>
    /// <param name="name">The name, matched ordinally.</param>
    /// <param name="index">The class index when found, otherwise -1.</param>
    /// <returns>Whether the name is in the set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public bool TryGetIndex(string name, out int index)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (indices.TryGetValue(name, out index))
            return true;
        index = -1;
        return false;
    }

    /// <summary>The JSON form: an array of names, index = class (the ONNX metadata value of <c>mlnetrnn.labels</c>).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(names, JsonOptions);

    /// <summary>Reads the JSON form written by <see cref="ToJson"/>.</summary>
    /// <param name="json">A JSON array of distinct strings.</param>
    /// <returns>The label set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The JSON is not an array of distinct strings.</exception>
    public static LabelSet FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        string[]? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<string[]>(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Labels: expected a JSON array of strings, got invalid JSON ({e.Message}).", e);
        }

        if (parsed is null)
            throw new FormatException("Labels: expected a JSON array of strings, got null.");
        try
        {
            return new LabelSet(parsed);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Writes the JSON form to a file, replacing it.</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToJson(), Encoding.UTF8);
    }

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The label set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FormatException">The file is not a JSON array of distinct strings.</exception>
    public static LabelSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromJson(File.ReadAllText(path, Encoding.UTF8));
    }
}
