namespace E2EDeploy.Pipeline;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, one report at a time (<see cref="Progress{T}"/>
/// would post to the thread pool, so a display could see reports out of order or after the work ended). Used by the
/// training and pipeline commands; the validation reports from several threads, hence the lock.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock gate = new();

    /// <inheritdoc/>
    public void Report(T value)
    {
        lock (gate)
        {
            report(value);
        }
    }
}
