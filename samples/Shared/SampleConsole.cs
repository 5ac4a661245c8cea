using System.Globalization;
using MlNetRnn.Training.Training;
using ScottPlot;
using Spectre.Console;

namespace MlNetRnn.Samples;

/// <summary>Console plumbing the samples share: a training progress bar, Ctrl+C cancellation, plots and argument parsing.</summary>
internal static class SampleConsole
{
    /// <summary>
    /// Runs a training call under a progress bar. The first Ctrl+C stops training before its next step (a second one quits at
    /// once); the trainer then leaves the best weights so far in the model, and this returns them as a cancelled run when
    /// <paramref name="exportOnCancel"/> is set and an epoch was completed, else <see langword="null"/> (nothing to export).
    /// With a <paramref name="budget"/>, training stops after the epoch when another one as long would not end within it, or
    /// mid-epoch at the budget; that is a normal end: the best epoch so far is returned (<see cref="TrainingRun.TimeBudget"/> set),
    /// or <see langword="null"/> when no epoch completed.
    /// </summary>
    internal static TrainingRun? Train(string title, RnnTrainingOptions options, string lossUnit, bool exportOnCancel,
        Func<IProgress<TrainingProgress>, CancellationToken, TrainingResult> train, TimeSpan? budget = null)
    {
        using var userCancel = new CancellationTokenSource();
        using var budgetStop = new CancellationTokenSource();
        if (budget is TimeSpan limit)
            budgetStop.CancelAfter(limit);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(userCancel.Token, budgetStop.Token);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (userCancel.IsCancellationRequested)
                return;   // second Ctrl+C: let the process end
            e.Cancel = true;
            userCancel.Cancel();
            AnsiConsole.MarkupLine("[yellow]Ctrl+C: stopping before the next training step (press Ctrl+C again to quit at once).[/]");
        };
        Console.CancelKeyPress += onCancel;
        var recorder = new EpochRecorder(options.LearningRateAt);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            TrainingRun? run = null;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                    var progress = new InlineProgress(p =>
                    {
                        recorder.Observe(p);
                        if (budget is TimeSpan b && p.Phase == TrainingPhase.Validate && !recorder.NextEpochFits(b, clock.Elapsed))
                            budgetStop.Cancel();
                        task.Value = p.Fraction;
                        string phase = p.Phase == TrainingPhase.Validate
                            ? $"val loss {p.Loss:F3}" + (p.ValidationAccuracy is double a ? $" acc {a:P1}" : "")
                            : $"loss {p.Loss:F3}";
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{title} epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} {phase} {p.TokensPerSecond:N0} tok/s ETA {p.EstimatedRemaining:hh\\:mm\\:ss}"));
                    });
                    try
                    {
                        run = TrainingRun.Completed(train(progress, cancellation.Token));
                        if (userCancel.IsCancellationRequested)
                            AnsiConsole.MarkupLine("[yellow]Ctrl+C came after the last training step: the run is complete.[/]");
                    }
                    catch (OperationCanceledException) when (budget is TimeSpan b && budgetStop.IsCancellationRequested && !userCancel.IsCancellationRequested)
                    {
                        var (message, export) = recorder.StoppedAtBudget(b, clock.Elapsed, lossUnit);
                        AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
                        run = export;
                    }
                    catch (OperationCanceledException) when (userCancel.IsCancellationRequested)
                    {
                        var (message, export) = recorder.Cancelled(exportOnCancel, clock.Elapsed, lossUnit);
                        AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
                        run = export;
                    }
                    task.Value = task.MaxValue;
                });
            return run;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Prints the per-epoch history as a table.</summary>
    internal static void PrintHistory(TrainingRun result, string lossUnit)
    {
        var table = new Table().AddColumns("epoch", $"train loss ({lossUnit})", $"val loss ({lossUnit})", "val accuracy", "tokens/s", "time");
        foreach (var e in result.History)
        {
            table.AddRow(
                (e.Epoch == result.BestEpoch ? "*" : "") + e.Epoch.ToString(CultureInfo.InvariantCulture),
                e.TrainLoss.ToString("F4", CultureInfo.InvariantCulture),
                e.ValidationLoss?.ToString("F4", CultureInfo.InvariantCulture) ?? "–",
                e.ValidationAccuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "–",
                e.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                e.Duration.ToString(@"mm\:ss", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        string ending = result.CancelledInEpoch is int c ? $" (cancelled in epoch {c})"
            : result.TimeBudget is not null ? " (stopped at the time budget)"
            : result.StoppedEarly ? " (stopped early)" : "";
        AnsiConsole.MarkupLine($"[grey]* = the epoch whose weights were kept{ending}.[/]");
    }

    /// <summary>Saves the training and validation loss curves as a PNG.</summary>
    internal static void PlotHistory(TrainingRun result, string title, string lossUnit, string path)
    {
        var plot = new Plot();
        double[] epochs = result.History.Select(e => (double)e.Epoch).ToArray();
        var train = plot.Add.Scatter(epochs, result.History.Select(e => e.TrainLoss).ToArray());
        train.LegendText = "train";
        if (result.History.All(e => e.ValidationLoss is not null))
        {
            var val = plot.Add.Scatter(epochs, result.History.Select(e => e.ValidationLoss!.Value).ToArray());
            val.LegendText = "validation";
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel($"loss ({lossUnit})");
        plot.ShowLegend();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 800, 500);
        AnsiConsole.MarkupLine($"Loss curves: [link]{Markup.Escape(path)}[/]");
    }

    /// <summary>Reads <c>--name value</c> from the arguments, or returns the default.</summary>
    internal static T Option<T>(string[] args, string name, T defaultValue) where T : IParsable<T>
    {
        int i = Array.IndexOf(args, "--" + name);
        if (i < 0)
            return defaultValue;
        if (i + 1 >= args.Length || !T.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value))
            throw new ArgumentException($"--{name}: expected a {typeof(T).Name} value after it, got '{(i + 1 < args.Length ? args[i + 1] : "nothing")}'.");
        return value;
    }

    /// <summary>Whether the flag <c>--name</c> is among the arguments.</summary>
    internal static bool Flag(string[] args, string name) => Array.IndexOf(args, "--" + name) >= 0;

    /// <summary>The repository's <c>models/</c> folder (found by walking up from the working directory), or <c>./models</c>.</summary>
    internal static string ModelsDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetRnn.sln")))
                return Path.Combine(dir.FullName, "models");
        }
        return Path.Combine(Environment.CurrentDirectory, "models");
    }

    /// <summary>
    /// Loads a data set; when it cannot be fetched (npm missing, fetch failed, checksum mismatch) prints why and exits with
    /// code 1 instead of a stack trace.
    /// </summary>
    internal static T LoadData<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            AnsiConsole.MarkupLine($"[red]Could not load the data set:[/] {Markup.Escape(e.Message)}");
            Environment.Exit(1);
            throw; // not reached
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports synchronously on the caller's thread (the Spectre context's).</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
