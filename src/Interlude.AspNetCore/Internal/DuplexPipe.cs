using System.IO.Pipelines;

namespace Interlude.AspNetCore.Internal;

/// <summary>One side's view of a connection: what it reads and what it writes.</summary>
internal sealed class DuplexPipe : IDuplexPipe
{
    internal DuplexPipe(PipeReader input, PipeWriter output)
    {
        Input = input;
        Output = output;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }
}
