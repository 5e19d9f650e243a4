namespace Interlude.Cuda.Completion;

/// <summary>
/// Where a loop reads how far its stream has got: the sequence number of the last submission known complete
/// (32 bits, wrapping). A GPU writes it into mapped host memory (<see cref="MappedCounter"/>), a host callback or
/// a waiting thread publishes it (<see cref="PublishedCounter"/>), or the loop asks the driver (event queries).
/// </summary>
internal interface ICompletionCounter
{
    /// <summary>Loop thread: the latest sequence number published (acquire: what the completed work wrote is visible after it).</summary>
    uint Read();
}
