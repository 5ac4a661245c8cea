using System.Diagnostics;
using System.Text;

namespace MlNetRnn.Transforms.Tests;

/// <summary>
/// A finished child process of a test: runs it with stdout and stderr read asynchronously (a full pipe never blocks it) and
/// a time limit, after which the whole process tree is killed and a <see cref="TimeoutException"/> carries what it printed.
/// </summary>
internal sealed class ChildProcess
{
    /// <summary>How long to wait for the output pipes to close once the process has exited or been killed.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private const int ShownChars = 20_000;

    private ChildProcess(string commandLine, int exitCode, string output, string error) =>
        (CommandLine, ExitCode, Output, Error) = (commandLine, exitCode, output, error);

    /// <summary>The program and its arguments, for messages.</summary>
    public string CommandLine { get; }

    public int ExitCode { get; }

    /// <summary>Everything written to stdout, lines ended with <c>\n</c>.</summary>
    public string Output { get; }

    /// <summary>Everything written to stderr, lines ended with <c>\n</c>.</summary>
    public string Error { get; }

    /// <summary>Starts <paramref name="start"/> (its streams are redirected here) and waits at most <paramref name="timeLimit"/>.</summary>
    /// <exception cref="TimeoutException">The process did not exit in time; it and its descendants were killed.</exception>
    public static ChildProcess Run(ProcessStartInfo start, TimeSpan timeLimit)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        string commandLine = string.Join(' ', [start.FileName, .. start.ArgumentList]);

        var output = new Capture();
        var error = new Capture();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => error.Add(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeLimit))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the wait and the kill.
            }
            process.WaitForExit(DrainLimit);
            Task.WaitAll([output.Closed, error.Closed], DrainLimit);
            throw new TimeoutException($"`{commandLine}` did not finish in {timeLimit.TotalSeconds:0.#} s; killed it and its child processes.\n{Describe(output.Text, error.Text)}");
        }

        // Exited: the pipes close unless a descendant still holds them; don't wait for that forever either.
        Task.WaitAll([output.Closed, error.Closed], DrainLimit);
        return new ChildProcess(commandLine, process.ExitCode, output.Text, error.Text);
    }

    /// <summary>Runs <c>dotnet ARGUMENTS</c> in <paramref name="workingDirectory"/> without telemetry or banners.</summary>
    /// <exception cref="TimeoutException">As in <see cref="Run(ProcessStartInfo, TimeSpan)"/>.</exception>
    public static ChildProcess RunDotnet(string workingDirectory, TimeSpan timeLimit, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Run(start, timeLimit);
    }

    /// <summary>Command, exit code and the end of both streams, for an assertion message.</summary>
    public override string ToString() => $"`{CommandLine}` exited with {ExitCode}.\n{Describe(Output, Error)}";

    private static string Describe(string output, string error) => $"--- stdout ---\n{Tail(output)}\n--- stderr ---\n{Tail(error)}";

    private static string Tail(string text) =>
        text.Length <= ShownChars ? text : $"[… first {text.Length - ShownChars} characters left out …]\n{text[^ShownChars..]}";

    /// <summary>The lines of one stream, collected from <see cref="Process"/>'s callbacks (a <see langword="null"/> line means closed).</summary>
    private sealed class Capture
    {
        private readonly StringBuilder text = new();
        private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Closed => closed.Task;

        public string Text
        {
            get { lock (text) return text.ToString(); }
        }

        public void Add(string? line)
        {
            if (line is null)
            {
                closed.TrySetResult();
                return;
            }
            lock (text)
                text.Append(line).Append('\n');
        }
    }
}
