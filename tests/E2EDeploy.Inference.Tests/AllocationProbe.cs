namespace E2EDeploy.Inference.Tests;

/// <summary>Bytes a call allocates in steady state on the calling thread: two warm-up calls, then the mean over <c>calls</c> calls.</summary>
internal static class AllocationProbe
{
    public static long BytesPerCall(Action call, int calls = 100)
    {
        ArgumentNullException.ThrowIfNull(call);
        call();
        call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }
}
