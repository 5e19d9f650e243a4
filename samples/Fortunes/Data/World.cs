namespace Fortunes.Data;

/// <summary>A row of the world table, serialized as TechEmpower expects: <c>{"id":…,"randomNumber":…}</c>.</summary>
public sealed class World
{
    public int Id { get; set; }

    public int RandomNumber { get; set; }
}
