using System.Runtime.ExceptionServices;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// Scores whole windows: plans length-sorted batches, runs them (several at once when <see cref="BatchSettings.Concurrency"/>
/// allows) and leaves every row's results in <see cref="Results"/>, in original row order. One per cursor; not thread-safe.
/// </summary>
internal sealed class WindowScorer : IDisposable
{
    private readonly InferenceSession session;
    private readonly RnnModelDescription model;
    private readonly RnnOutputKinds kinds;
    private readonly BatchLimits limits;
    private readonly int concurrency;
    private readonly BatchPlanner planner = new();
    private readonly List<BatchRunner> runners = [];

    public WindowScorer(InferenceSession session, RnnModelDescription model, BatchSettings settings, RnnOutputKinds kinds)
    {
        this.session = session;
        this.model = model;
        this.kinds = kinds;
        concurrency = settings.Concurrency;
        int maxTokens = settings.MaxTokensPerBatch;
        if ((kinds & RnnOutputKinds.LanguageModel) != 0 && model.VocabSize > 0)
            maxTokens = (int)Math.Max(1, Math.Min(maxTokens, BatchSettings.MaxLanguageModelOutputFloats / model.VocabSize));
        limits = new BatchLimits(settings.BatchSize, maxTokens, EqualLengthsOnly: model.LengthsName is null, SkipEmpty: EmptyRows.IsUnscored(0, model.IsMlNetRnnFormat));
    }

    public WindowResults Results { get; } = new();

    /// <summary>The planner, exposed for tests and benchmarks that inspect the batches of the last window.</summary>
    internal BatchPlanner Planner => planner;

    /// <summary>Scores every row of <paramref name="window"/>.</summary>
    /// <param name="window">The rows' ids, already validated.</param>
    /// <param name="rowIndices">Each window row's index in the input, for error messages.</param>
    /// <param name="columnName">The token column, for error messages.</param>
    public void Score(TokenWindow window, ReadOnlySpan<long> rowIndices, string columnName)
    {
        Results.Prepare(window, kinds, model);
        if (kinds == RnnOutputKinds.None || window.Count == 0)
            return;

        planner.Plan(window.Lengths, limits);
        var batches = planner.Batches;
        int workers = Math.Min(concurrency, batches.Count);
        while (runners.Count < Math.Max(workers, 1))
            runners.Add(new BatchRunner(session, model, kinds));

        try
        {
            if (workers <= 1)
            {
                foreach (var batch in batches)
                    RunOne(runners[0], batch, window, rowIndices, columnName);
            }
            else
            {
                RunConcurrently(workers, window, rowIndices.ToArray(), columnName);
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        if (limits.SkipEmpty)
            FillEmptyRows(window);
    }

    private void RunConcurrently(int workers, TokenWindow window, long[] rowIndices, string columnName)
    {
        var batches = planner.Batches;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            // Batches are in descending length order, so striding spreads long and short ones evenly.
            for (int i = worker; i < batches.Count; i += workers)
                RunOne(runners[worker], batches[i], window, rowIndices, columnName);
        });
    }

    private void RunOne(BatchRunner runner, SequenceBatch batch, TokenWindow window, ReadOnlySpan<long> rowIndices, string columnName)
    {
        try
        {
            runner.Run(batch, planner.Order, window, Results);
        }
        catch (OnnxRuntimeException e)
        {
            throw FailedBatchDiagnosis.Explain(runner, batch, planner.Order, window, Results, rowIndices, columnName, e);
        }
    }

    private void FillEmptyRows(TokenWindow window)
    {
        if (model.Task != RnnModelTask.SequenceClassification || (kinds & (RnnOutputKinds.Scores | RnnOutputKinds.Labels)) == 0)
            return;
        int C = model.NumClasses;
        for (int row = 0; row < window.Count; row++)
        {
            if (!EmptyRows.IsUnscored(window.Length(row), model.IsMlNetRnnFormat))
                continue;
            EmptyRows.FillUnscored(Results.Scores.AsSpan(row * C, C));
            Results.Labels[row] = 0;
        }
    }

    public void Dispose()
    {
        foreach (var runner in runners)
            runner.Dispose();
        runners.Clear();
    }
}
