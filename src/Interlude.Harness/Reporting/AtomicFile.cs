namespace Interlude.Harness.Reporting;

/// <summary>
/// Writes a file whole or not at all: to a uniquely named temporary file beside the destination, then renamed
/// into place. A run killed midway leaves at most a stray temporary file, which never blocks a later run.
/// </summary>
public static class AtomicFile
{
    public static void Write(FileInfo destination, Action<StreamWriter> write)
    {
        string temporary = Path.Combine(destination.DirectoryName ?? ".", $".{destination.Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                write(writer);
            }

            File.Move(temporary, destination.FullName, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
