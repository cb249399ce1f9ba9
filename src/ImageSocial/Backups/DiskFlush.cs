using System.Runtime.InteropServices;

namespace ImageSocial;

/// <summary>Makes a backup's new files durable before its manifest is written: one <c>syncfs</c> of the repository's file system on Linux
/// (instead of a flush per object, which made a backup of many small blobs wait on the disk once per blob), a flush per file elsewhere.</summary>
internal static class DiskFlush
{
    internal static async Task FlushAsync(string anyFileThere, IReadOnlyCollection<string> files, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsLinux())
        {
            using var handle = File.OpenHandle(anyFileThere);
            if (SyncFs((int)handle.DangerousGetHandle()) == 0)
            {
                return;
            }
        }

        await Parallel.ForEachAsync(files, cancellationToken, (file, _) =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            stream.Flush(flushToDisk: true);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
    }

    // DllImport rather than LibraryImport: an int in, an int out, nothing to marshal, and no unsafe code in the core for it.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "syncfs")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFs(int fd);
#pragma warning restore SYSLIB1054
}
