namespace Interlude.Cuda.Completion;

/// <summary>A submission the poller completes, in order, on the loop's thread.</summary>
internal interface ICompletable
{
    void Complete();

    void Fail(Exception error);
}
