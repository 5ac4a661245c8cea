using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace MlNetRnn.Transforms.Tests;

[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class ChildProcessTests : IDisposable
{
    private static readonly string TestAssembly = typeof(ChildProcessTests).Assembly.Location;

    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-child-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Run_ChildThatHangs_IsKilledWithItsChildren_AndFailsWithinTheLimit()
    {
        string pidFile = Path.Combine(directory, "grandchild.pid");
        var limit = TimeSpan.FromSeconds(20);   // long enough for a dotnet child to start on a busy 2-core machine
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<TimeoutException>(() => ChildProcess.RunDotnet(directory, limit, TestAssembly, "hang", pidFile));

        Assert.True(clock.Elapsed < limit + TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains("did not finish in 20 s", e.Message);
        Assert.Contains("hanging", e.Message);
        int grandchild = int.Parse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture);
        if (IsRunning(grandchild))
        {
            using var leaked = Process.GetProcessById(grandchild);
            leaked.Kill();
            Assert.Fail($"the grandchild {grandchild} was still running (killed it now)");
        }
    }

    [Fact]
    public void Run_ChildThatWritesMegabytesToBothStreams_DoesNotDeadlock()
    {
        const int bytes = 1_500_000;

        var child = ChildProcess.RunDotnet(directory, TimeSpan.FromMinutes(1), TestAssembly, "flood", bytes.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(3, child.ExitCode);
        Assert.True(child.Output.Length >= bytes, $"stdout has {child.Output.Length} characters");
        Assert.Equal(child.Output, child.Error);
    }

    [Fact]
    public void ToString_ShowsTheCommandExitCodeAndBothStreams()
    {
        var child = ChildProcess.RunDotnet(directory, TimeSpan.FromMinutes(1), TestAssembly, "no-such-command");

        Assert.Equal(2, child.ExitCode);
        Assert.Contains($"`dotnet {TestAssembly} no-such-command` exited with 2.", child.ToString());
        Assert.Contains("--- stderr ---\nusage: load-check", child.ToString());
    }

    /// <summary>Whether a process is alive (a zombie waiting to be reaped is not).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
                return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
            return !OperatingSystem.IsLinux();
        string text = File.ReadAllText(stat);
        char state = text[text.LastIndexOf(')') + 2];
        return state is not ('Z' or 'X');
    }
}
