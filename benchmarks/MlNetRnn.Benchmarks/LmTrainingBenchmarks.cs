using BenchmarkDotNet.Attributes;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// Character-LM training throughput: our trainer against a bare TorchSharp forward/backward/clip/step loop over the same
/// token stream, same shapes (vocabulary 85, embedding 64, 2 LSTM layers × 256, batch 64 × 100 steps, Adam, clip 5).
/// One operation trains <see cref="Chunks"/> chunks.
/// </summary>
public class LmTrainingBenchmarks
{
    internal const int VocabSize = 85, EmbeddingDim = 64, HiddenSize = 256, Layers = 2, Batch = 64;
    internal static int ChunkLength => BenchmarkSettings.Dry ? 10 : 100;
    internal static int Chunks => BenchmarkSettings.Dry ? 2 : 8;
    internal static long TokensPerOperation => (long)Batch * ChunkLength * Chunks;

    private int[] stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkSettings.Threads);
        var random = new Random(5);
        // Laid out as the trainer lays it out: B pieces of K·chunks + 1 ids, each piece one parallel stream.
        stream = new int[Batch * (ChunkLength * Chunks + 1)];
        for (int i = 0; i < stream.Length; i++)
            stream[i] = random.Next(2, VocabSize);
    }

    internal static RnnModelConfig Config =>
        new(RnnTask.LanguageModel, RnnCellType.Lstm, VocabSize, EmbeddingDim, HiddenSize, Layers);

    [Benchmark(Baseline = true, Description = "bare TorchSharp loop")]
    public float BareTorchSharpLoop()
    {
        torch.manual_seed(1);
        using var embedding = nn.Embedding(VocabSize, EmbeddingDim, padding_idx: 0);
        using var lstm = nn.LSTM(EmbeddingDim, HiddenSize, Layers);
        using var head = nn.Linear(HiddenSize, VocabSize);
        var parameters = embedding.parameters().Concat(lstm.parameters()).Concat(head.parameters()).ToList();
        using var optimizer = optim.Adam(parameters, lr: 2e-3);

        // (R, B) time-major parallel streams; chunk k covers rows [k·T, (k+1)·T), targets shifted by one row.
        int perStream = ChunkLength * Chunks + 1;
        using var all = torch.tensor(stream.Select(x => (long)x).ToArray(), [Batch, perStream]).t().contiguous();
        using var inputs = all.narrow(0, 0, perStream - 1);
        using var targets = all.narrow(0, 1, perStream - 1);
        var h = torch.zeros(Layers, Batch, HiddenSize);
        var c = torch.zeros(Layers, Batch, HiddenSize);
        float last = 0;
        for (int k = 0; k < Chunks; k++)
        {
            using var scope = torch.NewDisposeScope();
            var x = inputs.narrow(0, k * ChunkLength, ChunkLength);             // (T, B)
            var y = targets.narrow(0, k * ChunkLength, ChunkLength);            // (T, B)
            optimizer.zero_grad();
            var (output, hN, cN) = lstm.call(embedding.call(x), (h.detach(), c.detach()));
            var logits = head.call(output);                                      // (T, B, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, VocabSize), y.reshape(-1));
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, 5.0);
            optimizer.step();
            h.Dispose();
            c.Dispose();
            h = hN.detach().MoveToOuterDisposeScope();
            c = cN.detach().MoveToOuterDisposeScope();
            if (k == Chunks - 1)
                last = loss.item<float>();
        }
        h.Dispose();
        c.Dispose();
        return last;
    }

    [Benchmark(Description = "MlNetRnn LanguageModelTrainer")]
    public float MlNetRnnTrainer()
    {
        torch.manual_seed(1);
        using var model = new RnnSequenceModel(Config);
        var trainer = new LanguageModelTrainer(new RnnTrainingOptions
        {
            Epochs = 1,
            BatchSize = Batch,
            ChunkLength = ChunkLength,
            LearningRate = 2e-3,
            MaxGradNorm = 5.0,
            Seed = 1,
        });
        var result = trainer.Train(model, stream, validation: null);
        return (float)result.History[^1].TrainLoss;
    }
}
