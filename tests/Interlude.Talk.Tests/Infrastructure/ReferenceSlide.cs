namespace Interlude.Talk.Tests.Infrastructure;

/// <summary>One slide of the synthetic talk as its generator recorded it (talk.json).</summary>
public sealed record ReferenceSlide(int Index, double Start, double End, string Heading, IReadOnlyList<string> Lines, string Narration);
