using MlNetRnn.Training.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Models;

/// <summary>
/// Embedding → RNN/LSTM/GRU stack → linear head, run on padded, time-major id batches with their lengths; optionally (a tagger
/// with <see cref="RnnModelConfig.CharVocabSize"/> &gt; 0) each word's embedding is concatenated with the output of a character
/// encoder over the word's characters.
/// </summary>
/// <remarks>
/// Padding never changes a result: the batch is packed (<c>pack_padded_sequence</c>) so each sequence's states stop at its
/// own length. A zero-length sequence takes no step: its final state is the initial state, its hidden states are zero and
/// its sequence-classification output is the head applied to that initial state (zeros by default).
/// Parameters are named as in PyTorch (<c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, <c>head.weight</c>, …; the character
/// encoder's under <c>chars.</c>: <c>chars.embedding.weight</c>, <c>chars.rnn.weight_ih_l0</c>, …). In training mode, word dropout
/// (<see cref="RnnModelConfig.WordDropout"/>) and embedding dropout (<see cref="RnnModelConfig.EmbeddingDropout"/>) apply; in
/// evaluation mode neither does.
/// </remarks>
public sealed class RnnSequenceModel : Module<Tensor, Tensor, RnnOutput>
{
    private readonly Embedding embedding;
    private readonly CharWordEncoder? chars;
    private readonly Dropout embeddingDropout;
    private readonly Module rnn;
    private readonly Dropout dropout;
    private readonly Linear head;

    /// <summary>Creates a model with freshly initialised weights (seed TorchSharp's generator first for reproducibility).</summary>
    /// <param name="config">The shape settings; validated here.</param>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid.</exception>
    public RnnSequenceModel(RnnModelConfig config) : base(nameof(RnnSequenceModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        embedding = Embedding(config.VocabSize, config.EmbeddingDim, padding_idx: config.PadId);
        chars = config.HasCharEncoder ? new CharWordEncoder(config) : null;
        embeddingDropout = Dropout(config.EmbeddingDropout);
        double interLayerDropout = config.NumLayers > 1 ? config.Dropout : 0.0;
        rnn = RecurrentModules.Create(config.Cell, config.InputSize, config.HiddenSize, config.NumLayers, interLayerDropout, config.Bidirectional);
        dropout = Dropout(config.Dropout);
        head = Linear(config.FeatureSize, config.OutputSize);
        RegisterComponents();
    }

    /// <summary>The shape settings this model was built with.</summary>
    public RnnModelConfig Config { get; }

    /// <summary>
    /// Sets the embedding rows of the tokens that have a pretrained vector to that vector, and optionally freezes the
    /// embedding so training leaves it unchanged. Call before training.
    /// </summary>
    /// <param name="tokens">The token of every id, in id order (for example <see cref="Vocabulary.Tokens"/>); <see cref="RnnModelConfig.VocabSize"/> of them.</param>
    /// <param name="vectors">The pretrained vectors; their <see cref="WordVectors.Dimensions"/> must equal <see cref="RnnModelConfig.EmbeddingDim"/>.</param>
    /// <param name="freeze"><see langword="true"/> to stop gradients to the embedding (no optimizer changes it); <see langword="false"/> to fine-tune it.</param>
    /// <returns>The number of tokens that got a pretrained vector.</returns>
    /// <exception cref="ArgumentNullException">An argument or token is null.</exception>
    /// <exception cref="ArgumentException">The vectors' size differs from the embedding's, or the token count from the vocabulary size.</exception>
    /// <remarks>
    /// A token is looked up as it is, then lowercased (invariant culture), so a cased vocabulary still finds lowercase vectors
    /// such as GloVe's. The padding row stays zero. The other rows keep their random initialisation, scaled to the standard
    /// deviation of the pretrained values used, so known and unknown words start on the same scale. Runs under <c>no_grad</c>;
    /// not thread-safe with a running model.
    /// </remarks>
    public int InitializeEmbedding(IReadOnlyList<string> tokens, WordVectors vectors, bool freeze)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Dimensions != Config.EmbeddingDim)
            throw new ArgumentException($"Pretrained word vectors have {vectors.Dimensions} dimensions, but the model's embedding has {Config.EmbeddingDim} (EmbeddingDim); they must be equal.", nameof(vectors));
        if (tokens.Count != Config.VocabSize)
            throw new ArgumentException($"tokens: expected one per id ({Config.VocabSize}, the VocabSize), got {tokens.Count}.", nameof(tokens));

        int E = Config.EmbeddingDim;
        var rows = new float[Config.VocabSize * E];
        var found = new bool[Config.VocabSize];
        int foundCount = 0;
        for (int id = 0; id < tokens.Count; id++)
        {
            string token = tokens[id] ?? throw new ArgumentNullException(nameof(tokens), $"tokens: the token of id {id} is null.");
            if (id != Config.PadId && (vectors.TryGetVector(token, out var vector) || vectors.TryGetVector(token.ToLowerInvariant(), out vector)))
            {
                vector.CopyTo(rows.AsSpan(id * E, E));
                found[id] = true;
                foundCount++;
            }
        }

        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var weight = embedding.weight!;
        var pretrained = tensor(rows, [Config.VocabSize, E]).to(weight.device);   // (V, E)
        var isPretrained = tensor(found).to(weight.device).unsqueeze(1);            // (V, 1)
        if (foundCount > 0)
        {
            var std = pretrained.index(tensor(found)).std();
            weight.copy_(where(isPretrained, pretrained, weight * std));
        }
        weight[Config.PadId].zero_();
        weight.requires_grad = !freeze;
        return foundCount;
    }

    /// <summary>Runs the model from a zero initial state.</summary>
    /// <param name="ids">Token ids, int64 <c>(T, B)</c>, padded with <see cref="RnnModelConfig.PadId"/>.</param>
    /// <param name="lengths">Valid length of each sequence, int64 <c>(B)</c>, each in <c>[0, T]</c>.</param>
    /// <returns>The output tensors, owned by the caller.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank, type or size, or the model has a character encoder (use the overload with characters).</exception>
    public override RnnOutput forward(Tensor ids, Tensor lengths) => forward(ids, lengths, null, null);

    /// <summary>Runs a model with a character encoder (<see cref="RnnModelConfig.HasCharEncoder"/>).</summary>
    /// <param name="ids">Word ids, int64 <c>(T, B)</c>, padded with <see cref="RnnModelConfig.PadId"/>.</param>
    /// <param name="lengths">Valid length of each sequence, int64 <c>(B)</c>, each in <c>[0, T]</c>.</param>
    /// <param name="characters">
    /// <c>Ids</c>: character ids of each word, int64 <c>(T, B, W)</c>, padded with 0 (any <c>W</c> ≥ 1); <c>Lengths</c>: number of
    /// characters of each word, int64 <c>(T, B)</c>, each in <c>[0, W]</c> (0 at padded positions).
    /// </param>
    /// <returns>The output tensors, owned by the caller.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank, type or size, or the model has no character encoder.</exception>
    public RnnOutput forward(Tensor ids, Tensor lengths, (Tensor Ids, Tensor Lengths) characters)
    {
        ArgumentNullException.ThrowIfNull(characters.Ids);
        ArgumentNullException.ThrowIfNull(characters.Lengths);
        return Run(ids, lengths, characters, null, null);
    }

    /// <summary>Runs the model from a given initial state (a language model carrying state across chunks).</summary>
    /// <param name="ids">Token ids, int64 <c>(T, B)</c>, padded with <see cref="RnnModelConfig.PadId"/>.</param>
    /// <param name="lengths">Valid length of each sequence, int64 <c>(B)</c>, each in <c>[0, T]</c>.</param>
    /// <param name="h0">Initial hidden state <c>(L*D, B, H)</c>, or <see langword="null"/> for zeros.</param>
    /// <param name="c0">Initial LSTM cell state <c>(L*D, B, H)</c>, or <see langword="null"/> for zeros; ignored by other cells.</param>
    /// <returns>The output tensors, owned by the caller.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank, type or size.</exception>
    public RnnOutput forward(Tensor ids, Tensor lengths, Tensor? h0, Tensor? c0) => Run(ids, lengths, null, h0, c0);

    private RnnOutput Run(Tensor ids, Tensor lengths, (Tensor Ids, Tensor Lengths)? characters, Tensor? h0, Tensor? c0)
    {
        CheckInputs(ids, lengths);
        CheckCharacters(ids, characters);
        using var scope = NewDisposeScope();
        long T = ids.shape[0], B = ids.shape[1];
        int LD = Config.NumLayers * Config.NumDirections, H = Config.HiddenSize;

        h0 ??= zeros(LD, B, H, device: ids.device);
        if (Config.Cell == RnnCellType.Lstm)
            c0 ??= zeros(LD, B, H, device: ids.device);

        var wordIds = ids;
        if (training && Config.WordDropout > 0)
        {
            var drop = rand(ids.shape, device: ids.device).lt(Config.WordDropout).logical_and(ids.ne(Config.PadId)); // (T, B)
            wordIds = where(drop, full_like(ids, Config.UnkId), ids);
        }
        var emb = embedding.call(wordIds);                                    // (T, B, E)
        if (chars is not null)
            emb = cat([emb, chars.call(characters!.Value.Ids, characters.Value.Lengths)], 2); // (T, B, E + 2Hc)
        if (Config.EmbeddingDropout > 0)
            emb = embeddingDropout.call(emb);                                 // (T, B, E + 2Hc)
        var cpuLengths = lengths.to(CPU);
        Tensor y, hN;
        Tensor? cN;
        // No padding anywhere (BPTT chunks): packing would change nothing but cost time. Only with gradients on, though:
        // under no_grad libtorch 2.10's CPU LSTM takes an inference kernel on unpacked input that gives different, wrong
        // numbers (0.1-0.3 off the packed path and ONNX Runtime), so inference always packs.
        if (T > 0 && is_grad_enabled() && cpuLengths.min().item<long>() == T)
        {
            (y, hN, cN) = RunRecurrent(emb, h0, c0);                          // (T, B, D*H)
        }
        else
        {
            var nonEmpty = cpuLengths.gt(0).to(ids.device);                   // (B)
            // pack_padded_sequence refuses length 0: run such rows for one (masked) step and discard what they produce.
            var packed = nn.utils.rnn.pack_padded_sequence(emb, cpuLengths.clamp_min(1), batch_first: false, enforce_sorted: false);
            (var packedOut, hN, cN) = RunRecurrent(packed, h0, c0);
            (y, _) = nn.utils.rnn.pad_packed_sequence(packedOut, batch_first: false, padding_value: 0.0, total_length: T); // (T, B, D*H)
            var keepState = nonEmpty.view(1, B, 1);                           // (1, B, 1)
            y = y * keepState.to(y.dtype);                                    // (T, B, D*H)
            hN = where(keepState, hN, h0);                                    // (L*D, B, H)
            if (cN is not null)
                cN = where(keepState, cN, c0!);                               // (L*D, B, H)
        }

        Tensor logits;
        if (Config.Task == RnnTask.SequenceClassification)
        {
            var last = hN.view(Config.NumLayers, Config.NumDirections, B, H)[-1]; // (D, B, H)
            var features = last.permute(1, 0, 2).reshape(B, Config.FeatureSize);  // (B, D*H)
            logits = head.call(dropout.call(features));                          // (B, C)
        }
        else
        {
            logits = head.call(dropout.call(y));                                 // (T, B, C)
        }

        return new RnnOutput(
            y.MoveToOuterDisposeScope(),
            hN.MoveToOuterDisposeScope(),
            cN?.MoveToOuterDisposeScope(),
            logits.MoveToOuterDisposeScope());
    }

    private (Tensor Y, Tensor HN, Tensor? CN) RunRecurrent(Tensor input, Tensor h0, Tensor? c0) => RecurrentModules.Call(rnn, input, h0, c0);

    private (nn.utils.rnn.PackedSequence Y, Tensor HN, Tensor? CN) RunRecurrent(nn.utils.rnn.PackedSequence input, Tensor h0, Tensor? c0) =>
        RecurrentModules.Call(rnn, input, h0, c0);

    private void CheckCharacters(Tensor ids, (Tensor Ids, Tensor Lengths)? characters)
    {
        if (characters is null)
        {
            if (chars is not null)
                throw new ArgumentException($"This model reads each word's characters (CharVocabSize {Config.CharVocabSize}): call forward(ids, lengths, (charIds, charLengths)).", "characters");
            return;
        }
        if (chars is null)
            throw new ArgumentException("This model has no character encoder (CharVocabSize 0): call forward(ids, lengths) without characters.", "characters");
        var (charIds, charLengths) = characters.Value;
        long T = ids.shape[0], B = ids.shape[1];
        if (charIds.dim() != 3 || charIds.dtype != ScalarType.Int64 || charIds.shape[0] != T || charIds.shape[1] != B || charIds.shape[2] < 1)
            throw new ArgumentException($"charIds: expected an int64 tensor of shape ({T}, {B}, W ≥ 1), got {charIds.dtype} of shape ({string.Join(", ", charIds.shape)}).", "characters");
        if (charLengths.dim() != 2 || charLengths.dtype != ScalarType.Int64 || charLengths.shape[0] != T || charLengths.shape[1] != B)
            throw new ArgumentException($"charLengths: expected an int64 tensor of shape ({T}, {B}), got {charLengths.dtype} of shape ({string.Join(", ", charLengths.shape)}).", "characters");
    }

    /// <summary>Checks the shapes and types of a batch's ids and lengths.</summary>
    internal static void CheckInputs(Tensor ids, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(lengths);
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"ids: expected an int64 tensor of shape (T, B), got {ids.dtype} of shape ({string.Join(", ", ids.shape)}).", nameof(ids));
        if (lengths.dim() != 1 || lengths.dtype != ScalarType.Int64 || lengths.shape[0] != ids.shape[1])
            throw new ArgumentException($"lengths: expected an int64 tensor of shape ({ids.shape[1]}), got {lengths.dtype} of shape ({string.Join(", ", lengths.shape)}).", nameof(lengths));
    }
}
