using System.Text;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>One parsed HTTP/1.1 response.</summary>
internal sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
