namespace ImageSocial;

/// <summary>A private temporary file that holds an upload (or a stored original) while external tools read it, deleted on dispose.</summary>
/// <remarks>Files are created 0600 in a 0700 folder. A process that died leaves its files behind; the first staging of a process deletes
/// files in the folder older than a day (longer than any conversion may run).</remarks>
internal sealed class VideoStaging : IAsyncDisposable
{
    private static int swept;

    private VideoStaging(string path, long length)
    {
        Path = path;
        Length = length;
    }

    /// <summary>The file.</summary>
    internal string Path { get; }

    /// <summary>Its size in bytes.</summary>
    internal long Length { get; }

    /// <summary>A new file name in the work folder (not created).</summary>
    internal static string NewPath(VideoOptions options, string suffix)
    {
        var folder = options.WorkDirectory ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "imagesocial-video");
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        if (Interlocked.Exchange(ref swept, 1) == 0)
        {
            Sweep(folder);
        }

        return System.IO.Path.Combine(folder, Guid.NewGuid().ToString("N") + suffix);
    }

    /// <summary>Copies <paramref name="head"/> and then the rest of <paramref name="content"/> into a new file, refusing more than
    /// <paramref name="maxBytes"/> as it goes (nothing is held in memory beyond one buffer).</summary>
    /// <exception cref="InputTooLargeException">The content is longer than <paramref name="maxBytes"/>.</exception>
    internal static async Task<VideoStaging> CopyAsync(ReadOnlyMemory<byte> head, Stream content, long maxBytes, VideoOptions options, CancellationToken cancellationToken)
    {
        var path = NewPath(options, ".upload");
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            long length;
            var output = new FileStream(path, file);
            await using (output.ConfigureAwait(false))
            {
                length = await BoundedCopy.CopyAsync(head, content, output, maxBytes, "video", cancellationToken).ConfigureAwait(false);
            }

            return new VideoStaging(path, length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Stores a local file (a staged upload, a rendition) as a blob, streamed.</summary>
    internal static async Task PutFileAsync(IBlobStore blobs, string key, string path, string contentType, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            await blobs.PutAsync(key, file, contentType, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }

    private static void Sweep(string folder)
    {
        foreach (var stale in new DirectoryInfo(folder).EnumerateFiles().Where(f => f.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1)))
        {
            try
            {
                stale.Delete();
            }
            catch (IOException)
            {
                // Another process's file, or gone already: the next sweep tries again.
            }
        }
    }
}
