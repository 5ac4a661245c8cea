using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>Generates text with a trained language model, one token at a time, carrying the state between steps.</summary>
/// <remarks>
/// The prompt is read in one forward call; then each step samples the next token from <c>softmax(logits / temperature)</c>
/// with a seeded <see cref="Random"/> (so a seed gives the same text on every run) and feeds it back with the carried state.
/// The padding id is never generated; <see cref="Generate"/> does not generate the unknown id either. The model is used in
/// evaluation mode without gradients, and its mode is restored afterwards.
/// </remarks>
public static class TextGenerator
{
    /// <summary>Samples a continuation of a prompt, as ids.</summary>
    /// <param name="model">A model with <see cref="RnnTask.LanguageModel"/>.</param>
    /// <param name="prompt">The ids to start from (at least one).</param>
    /// <param name="count">How many ids to generate (≥ 0).</param>
    /// <param name="temperature">Sharpness of sampling: 1 samples the model's distribution, lower is more conservative, 0 always takes the most likely id.</param>
    /// <param name="seed">Seeds the sampling.</param>
    /// <returns>The generated ids, without the prompt.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model is not a language model, or the prompt is empty or has ids out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="temperature"/> is negative or not finite.</exception>
    public static int[] Sample(RnnSequenceModel model, IReadOnlyList<int> prompt, int count, double temperature = 1.0, int seed = 0) =>
        Sample(model, prompt, count, temperature, seed, excludeUnknown: false);

    /// <summary>Continues a text prompt: encodes it, samples <paramref name="length"/> tokens, and decodes them.</summary>
    /// <param name="model">A model with <see cref="RnnTask.LanguageModel"/> whose vocabulary is <paramref name="vocabulary"/>.</param>
    /// <param name="vocabulary">The model's vocabulary.</param>
    /// <param name="prompt">The text to start from; must encode to at least one token.</param>
    /// <param name="length">How many tokens to generate (≥ 0).</param>
    /// <param name="temperature">Sharpness of sampling: 1 samples the model's distribution, lower is more conservative, 0 is greedy.</param>
    /// <param name="seed">Seeds the sampling.</param>
    /// <returns>The generated continuation, decoded (without the prompt).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model is not a language model, the vocabulary does not fit it, or the prompt has no tokens.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or <paramref name="temperature"/> is negative or not finite.</exception>
    public static string Generate(RnnSequenceModel model, Vocabulary vocabulary, string prompt, int length, double temperature = 1.0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(prompt);
        if (vocabulary.Count != model.Config.VocabSize)
            throw new ArgumentException($"{nameof(vocabulary)}: expected {model.Config.VocabSize} tokens (the model's VocabSize), got {vocabulary.Count}.", nameof(vocabulary));
        return vocabulary.Decode(Sample(model, vocabulary.Encode(prompt), length, temperature, seed, excludeUnknown: true));
    }

    private static int[] Sample(RnnSequenceModel model, IReadOnlyList<int> prompt, int count, double temperature, int seed, bool excludeUnknown)
    {
        TrainingSupport.RequireTask(model, RnnTask.LanguageModel, nameof(model));
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!double.IsFinite(temperature) || temperature < 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"{nameof(temperature)}: expected a finite number ≥ 0, got {temperature}.");
        if (prompt.Count == 0)
            throw new ArgumentException($"{nameof(prompt)}: expected at least one id, got none.", nameof(prompt));
        int[] promptIds = prompt.ToArray();
        TrainingSupport.CheckIds([promptIds], model.Config.VocabSize, nameof(prompt));

        var device = TrainingSupport.DeviceOf(model);
        int V = model.Config.OutputSize;
        var random = new Random(seed);
        var generated = new int[count];
        bool wasTraining = model.training;
        model.eval();
        Tensor? h = null, c = null;
        try
        {
            using var noGrad = no_grad();
            using var outer = NewDisposeScope();
            var banned = zeros(V, ScalarType.Bool, device);                       // (V)
            banned[model.Config.PadId] = true;
            if (excludeUnknown && Vocabulary.UnkId < V)
                banned[Vocabulary.UnkId] = true;

            var ids = tensor(promptIds.Select(id => (long)id).ToArray(), [promptIds.Length, 1L], ScalarType.Int64, device); // (T, 1)
            var lengths = tensor(new long[] { promptIds.Length }, ScalarType.Int64);   // (1)
            var oneStep = tensor(new long[] { 1 }, ScalarType.Int64);                  // (1)
            for (int i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                var output = model.forward(ids, lengths, h, c);
                var logits = output.Logits[-1, 0].masked_fill(banned, double.NegativeInfinity); // (V)
                int next = temperature == 0
                    ? (int)logits.argmax().item<long>()
                    : Draw(softmax(logits.to(ScalarType.Float64) / temperature, 0).cpu().data<double>().ToArray(), random);
                generated[i] = next;

                h?.Dispose();
                c?.Dispose();
                h = output.FinalHidden.MoveToOuterDisposeScope();
                c = output.FinalCell?.MoveToOuterDisposeScope();
                ids = full(1, 1, next, ScalarType.Int64, device).MoveToOuterDisposeScope(); // (1, 1)
                lengths = oneStep;
            }

            return generated;
        }
        finally
        {
            h?.Dispose();
            c?.Dispose();
            model.train(wasTraining);
        }
    }

    private static int Draw(double[] probabilities, Random random)
    {
        double u = random.NextDouble(), cumulative = 0;
        int last = 0;
        for (int id = 0; id < probabilities.Length; id++)
        {
            if (probabilities[id] <= 0)
                continue;
            last = id;
            cumulative += probabilities[id];
            if (u < cumulative)
                return id;
        }

        return last; // rounding left u just above the total
    }
}
