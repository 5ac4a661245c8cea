using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// A deterministic 90 / 5 / 5 train / validation / test split by a key (a word, a name): the part depends on the key
/// alone, never on a random generator, the input order or the other items.
/// </summary>
/// <remarks>
/// The bucket of a key is the first 8 bytes of the SHA-256 of its UTF-8 bytes, read as a big-endian unsigned integer,
/// modulo 100: buckets 0–89 are <see cref="DataPart.Train"/>, 90–94 <see cref="DataPart.Validation"/>, 95–99
/// <see cref="DataPart.Test"/>. Any tool reproduces it (<c>printf %s word | sha256sum</c>). Keys are used as given:
/// callers that want case-insensitive parts pass a normalised key.
/// </remarks>
public static class HashSplit
{
    /// <summary>How the split is described in model cards and console output.</summary>
    public const string Description =
        "deterministic by key: bucket = first 8 bytes of SHA-256(UTF-8 key), big-endian, mod 100; buckets 0–89 train, 90–94 validation, 95–99 test";

    /// <summary>The part a key belongs to.</summary>
    /// <param name="key">The key (for example a word).</param>
    /// <returns>The key's part; always the same for the same key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static DataPart PartOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        ulong bucket = BinaryPrimitives.ReadUInt64BigEndian(hash) % 100;
        return bucket < 90 ? DataPart.Train : bucket < 95 ? DataPart.Validation : DataPart.Test;
    }

    /// <summary>Splits items by the part of their key.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="key">The key of an item; items with equal keys land in the same part.</param>
    /// <returns>The three parts, each in input order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="key"/> returned null (the message gives the item's index).</exception>
    public static DataSplit<T> Split<T>(IEnumerable<T> items, Func<T, string> key)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(key);
        var (train, validation, test) = (new List<T>(), new List<T>(), new List<T>());
        int index = 0;
        foreach (var item in items)
        {
            string k = key(item) ?? throw new ArgumentNullException(nameof(key), $"The key of item {index} is null.");
            (PartOf(k) switch { DataPart.Train => train, DataPart.Validation => validation, _ => test }).Add(item);
            index++;
        }
        return new DataSplit<T>(train, validation, test);
    }
}
