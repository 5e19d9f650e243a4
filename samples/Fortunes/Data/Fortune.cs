namespace Fortunes.Data;

/// <summary>A row of the fortune table.</summary>
public sealed class Fortune(int id, string message) : IComparable<Fortune>
{
    public int Id { get; } = id;

    public string Message { get; } = message;

    /// <summary>By message, ordinal (TechEmpower sorts by the message text).</summary>
    public int CompareTo(Fortune? other) => string.CompareOrdinal(Message, other?.Message);
}
