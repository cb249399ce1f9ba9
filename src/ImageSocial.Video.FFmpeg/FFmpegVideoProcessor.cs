using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageSocial.Video.FFmpeg;

/// <summary>Videos through Debian's (or any) <c>ffprobe</c> and <c>ffmpeg</c>, run as child processes.</summary>
/// <remarks>
/// <para>Direct process runs rather than a wrapper library: every run must carry the same hardening, and owning the argument list and the
/// process makes it visible in one place: <c>-nostdin</c> (stdin closed), input only from the given local file
/// (<c>-protocol_whitelist file</c>) through the accepted demuxers only (<c>-format_whitelist</c>: no HLS/DASH playlists, ffconcat scripts,
/// image sequences; nested demuxers inherit the lists), <c>-max_streams</c>, a wall-clock limit per kind of run, a low CPU priority from the
/// start (nice), and the process tree killed on timeout or cancellation.</para>
/// <para>The poster is chosen by ffmpeg's <c>thumbnail</c> filter (the frame closest to the average histogram) among frames sampled from
/// 10% of the duration on, after dropping frames whose luma entropy is low (black, white or flat frames).</para>
/// </remarks>
public sealed partial class FFmpegVideoProcessor : IVideoProcessor, IDisposable
{
    private const int MaxProbeReport = 4 << 20;
    private const int MaxPosterBytes = 64 << 20;
    private const int PosterEdge = 1920;

    private readonly FFmpegOptions options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim renditions;

    /// <summary>Creates the processor.</summary>
    /// <param name="options">Paths, limits and encoder settings.</param>
    /// <param name="logger">Where failures of the tools are logged.</param>
    public FFmpegVideoProcessor(IOptions<FFmpegOptions> options, ILogger<FFmpegVideoProcessor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        renditions = new SemaphoreSlim(this.options.MaxConcurrentRenditions);
    }

    /// <inheritdoc />
    public async Task<VideoInfo> ProbeAsync(string input, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        var run = await ToolRun.RunAsync(options.FFprobePath, [.. InputOptions(probe: true), "-v", "error", "-show_format", "-show_streams", "-of", "json", "file:" + input],
            options.Niceness, options.ProbeTimeout, MaxProbeReport, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Refusal(run.Errors);
        }

        try
        {
            return ProbeReport.Read(run.Output);
        }
        catch (JsonException ex)
        {
            throw new VideoDecodeException("The video's facts could not be read.", ex);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> ExtractPosterAsync(string input, VideoInfo video, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        ArgumentNullException.ThrowIfNull(video);
        var (width, height) = Fit(video.Width, video.Height, PosterEdge);
        var seconds = video.DurationMs / 1000.0;
        var from = seconds * 0.1;
        var window = Math.Min(10, Math.Max(0.5, seconds - from));
        var pick = $"fps=4,entropy,metadata=mode=select:key=lavfi.entropy.normalized_entropy.normal.Y:value=0.3:function=greater,thumbnail=40,scale={width}:{height}";
        // The best frame of the window from 10% on; the same from the start (a file without a seek index yields nothing after a seek);
        // then, when every sampled frame was flat (a black or blank video), the first frame as it is.
        string[][] attempts =
        [
            ["-ss", Number(from), "-t", Number(window), .. InputOptions(), "-i", "file:" + input, "-an", "-sn", "-dn", "-vf", pick, .. PosterOutput()],
            ["-t", Number(window), .. InputOptions(), "-i", "file:" + input, "-an", "-sn", "-dn", "-vf", pick, .. PosterOutput()],
            [.. InputOptions(), "-i", "file:" + input, "-an", "-sn", "-dn", "-vf", $"scale={width}:{height}", .. PosterOutput()],
        ];
        ToolRun.Result? run = null;
        foreach (var attempt in attempts)
        {
            run = await ToolRun.RunAsync(options.FFmpegPath, attempt, options.Niceness, options.PosterTimeout, MaxPosterBytes, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode == 0 && run.Output.Length > 0)
            {
                return run.Output;
            }
        }

        LogFailed(logger, "poster", run!.ExitCode, run.Errors);
        throw new VideoDecodeException("No frame of the video can be decoded.");
    }

    /// <inheritdoc />
    public async Task<bool> WriteWebRenditionAsync(string input, VideoInfo video, string output, int maxEdge, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        ArgumentNullException.ThrowIfNull(video);
        ArgumentException.ThrowIfNullOrEmpty(output);
        var copy = IsWebPlayable(video, maxEdge);
        var arguments = WebRenditionArguments(input, video, output, maxEdge, copy);
        await renditions.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var run = await ToolRun.RunAsync(options.FFmpegPath, arguments, options.Niceness, options.RenditionTimeout, MaxProbeReport, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
            {
                LogFailed(logger, "web rendition", run.ExitCode, run.Errors);
                throw new VideoDecodeException("The video could not be converted: " + LastLine(run.Errors));
            }

            return !copy;
        }
        catch
        {
            File.Delete(output);
            throw;
        }
        finally
        {
            renditions.Release();
        }
    }

    /// <summary>Whether a video can be served as it is (its streams copied into a fresh MP4 without metadata): H.264 in yuv420p, AAC or no
    /// audio, in the MP4 family, no rotation to apply, within the edge.</summary>
    internal static bool IsWebPlayable(VideoInfo video, int maxEdge) =>
        video.Container.StartsWith("mov", StringComparison.Ordinal) && video.VideoCodec == "h264" && video.PixelFormat == "yuv420p"
        && video.AudioCodec is null or "aac" && video.Rotation == 0 && Math.Max(video.Width, video.Height) <= maxEdge;

    /// <summary>The ffmpeg arguments of a web rendition, the same for the pipeline and for the command line it is measured against.</summary>
    internal string[] WebRenditionArguments(string input, VideoInfo video, string output, int maxEdge, bool copy)
    {
        // The probed duration bounds the output: a stream that decodes for longer than its container says stops there.
        string[] head = [.. InputOptions(), "-i", "file:" + input, "-map", "0:v:0", "-map", "0:a:0?", "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn",
            "-t", Number(video.DurationMs / 1000.0 + 1)];
        string[] tail = ["-movflags", "+faststart", "-max_muxing_queue_size", "1024", "-v", "error", "-f", "mp4", "-y", "file:" + output];
        if (copy)
        {
            return [.. head, "-c", "copy", .. tail];
        }

        var (width, height) = Fit(video.Width, video.Height, maxEdge);
        return
        [
            .. head, "-vf", $"scale={width}:{height}", "-c:v", "libx264", "-preset", options.Preset, "-crf", options.Crf.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", $"{options.AudioKbps}k", "-ac", "2", .. tail,
        ];
    }

    /// <inheritdoc />
    public void Dispose() => renditions.Dispose();

    /// <summary>The options every run gives its input: nothing but a local file, through the accepted demuxers, with few streams; no
    /// reading of stdin (ffprobe never reads it, and has no <c>-nostdin</c>; stdin is closed for both).</summary>
    private string[] InputOptions(bool probe = false) =>
        [.. probe ? Array.Empty<string>() : ["-nostdin"], "-hide_banner", "-protocol_whitelist", "file", "-format_whitelist", options.Demuxers,
            "-max_streams", options.MaxStreams.ToString(CultureInfo.InvariantCulture)];

    private static string[] PosterOutput() => ["-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "-v", "error", "pipe:1"];

    /// <summary>The display size scaled down to fit <paramref name="edge"/>, both sides even (yuv420p and x264 need it).</summary>
    internal static (int Width, int Height) Fit(int width, int height, int edge)
    {
        var scale = Math.Min(1.0, (double)edge / Math.Max(width, height));
        return (Even(width * scale), Even(height * scale));

        static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2) * 2);
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The typed error for a probe that failed, from what ffprobe said.</summary>
    private static ImageSocialException Refusal(string errors)
    {
        if (errors.Contains("max_streams", StringComparison.Ordinal))
        {
            return new InputTooLargeException("The video has too many streams.");
        }

        if (errors.Contains("moov atom not found", StringComparison.Ordinal) || errors.Contains("partial file", StringComparison.Ordinal))
        {
            return new VideoDecodeException("The video is truncated or damaged: " + LastLine(errors));
        }

        return new UnsupportedVideoException("The upload is not a video in an accepted container.");
    }

    private static string LastLine(string errors) =>
        errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "ffmpeg's {Step} failed with exit code {ExitCode}: {Errors}")]
    private static partial void LogFailed(ILogger logger, string step, int exitCode, string errors);
}
