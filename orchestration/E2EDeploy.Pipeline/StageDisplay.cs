using System.Globalization;
using Spectre.Console;

namespace E2EDeploy.Pipeline;

/// <summary>
/// The progress of a job in stages (train, export, validate, ...). On a terminal: one live Spectre.Console bar per stage. When
/// stderr is redirected to a file: one line per stage change (started, finished), never one line per refresh.
/// </summary>
public interface IStageDisplay
{
    /// <summary>Stage <paramref name="name"/> starts, with <paramref name="total"/> units of work.</summary>
    void Start(string name, double total);

    /// <summary>Stage <paramref name="name"/> reached <paramref name="value"/> units; <paramref name="detail"/> replaces its description.</summary>
    void Update(string name, double value, string? detail = null);

    /// <summary>Stage <paramref name="name"/> finished, with a closing <paramref name="detail"/>.</summary>
    void Finish(string name, string detail);
}

/// <summary>Runs a job under the display that fits stderr: live bars on a terminal, stage lines in a log file.</summary>
public static class StageDisplays
{
    /// <summary>Runs <paramref name="job"/> with its display on <paramref name="console"/> (stderr).</summary>
    public static void Run(IAnsiConsole console, bool redirected, Action<IStageDisplay> job)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(job);
        if (redirected)
        {
            job(new StageLines(console));
            return;
        }

        console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => job(new LiveBars(context)));
    }

    private sealed class LiveBars(ProgressContext context) : IStageDisplay
    {
        private readonly Dictionary<string, ProgressTask> tasks = [];
        private readonly Lock gate = new();

        public void Start(string name, double total)
        {
            lock (gate)
            {
                tasks[name] = context.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1));
            }
        }

        public void Update(string name, double value, string? detail = null)
        {
            lock (gate)
            {
                ProgressTask task = tasks[name];
                task.Value = value;
                if (detail is not null)
                {
                    task.Description = Markup.Escape($"{name}: {detail}");
                }
            }
        }

        public void Finish(string name, string detail)
        {
            lock (gate)
            {
                ProgressTask task = tasks[name];
                task.Value = task.MaxValue;
                task.Description = Markup.Escape($"{name}: {detail}");
                task.StopTask();
            }
        }
    }

    private sealed class StageLines(IAnsiConsole console) : IStageDisplay
    {
        private readonly Dictionary<string, DateTime> started = [];
        private readonly Lock gate = new();

        public void Start(string name, double total)
        {
            lock (gate)
            {
                started[name] = DateTime.UtcNow;
                Write($"{name}: started");
            }
        }

        public void Update(string name, double value, string? detail = null)
        {
        }

        public void Finish(string name, string detail)
        {
            lock (gate)
            {
                double seconds = (DateTime.UtcNow - started[name]).TotalSeconds;
                Write(string.Create(CultureInfo.InvariantCulture, $"{name}: {detail} ({seconds:0} s)"));
            }
        }

        private void Write(string line) => console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {line}"));
    }
}
