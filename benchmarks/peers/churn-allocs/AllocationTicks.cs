using System.Diagnostics.Tracing;

/// <summary>
/// Counts the runtime's GC allocation ticks (one per ~100 KB allocated) by type; for arrays, by type and the size of
/// the object that crossed the tick, which tells apart arrays of one type allocated in different places.
/// </summary>
internal sealed class AllocationTicks : EventListener
{
    private readonly Dictionary<string, long> _types = [];

    public Dictionary<string, long> Snapshot()
    {
        lock (_types)
        {
            return new Dictionary<string, long>(_types);
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: GCAllocationTick
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "GCAllocationTick_V4" || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        string type = eventData.Payload[eventData.PayloadNames.IndexOf("TypeName")]?.ToString() ?? "?";
        int size = eventData.PayloadNames.IndexOf("ObjectSize");
        if (type.EndsWith("[]", StringComparison.Ordinal) && size >= 0)
        {
            type = $"{type} ({eventData.Payload[size]} B)";
        }

        lock (_types)
        {
            _types[type] = _types.GetValueOrDefault(type) + 1;
        }
    }
}
