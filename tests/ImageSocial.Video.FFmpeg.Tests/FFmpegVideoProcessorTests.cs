using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;
using NetVips;

namespace ImageSocial.Video.FFmpeg.Tests;

/// <summary>The FFmpeg processor on real clips (Debian packages' test data) and on hostile files: facts, posters, web renditions, and
/// refusals that read nothing outside the given file.</summary>
public sealed class FFmpegVideoProcessorTests : IDisposable
{
    private readonly FFmpegVideoProcessor processor = new(Options.Create(new FFmpegOptions()));
    private readonly string output = Path.Combine(Path.GetTempPath(), $"imagesocial-test-{Guid.NewGuid():N}.mp4");

    [Theory]
    [InlineData("mp4.mp4", "mov", "h264", "aac", 560, 320)]
    [InlineData("mov.mov", "mov", "h264", "aac", 560, 320)]
    [InlineData("webm.webm", "matroska", "vp8", "vorbis", 560, 320)]
    [InlineData("ogg.ogv", "ogg", "theora", "vorbis", 560, 320)]
    [InlineData("3gp.3gp", "mov", "h263", "amr_nb", 352, 288)]
    [InlineData("flv.flv", "flv", "flv1", "mp3", 320, 240)]
    [InlineData("asf.asf", "asf", "wmv2", "wmav2", 560, 320)]
    [InlineData("rmvb.rmvb", "rm", "rv10", "ac3", 560, 320)]
    [InlineData("mkv.mkv", "matroska", "mpeg4", "aac", 1280, 720)]
    [InlineData("vtest.avi", "avi", "msmpeg4v3", null, 768, 576)]
    public async Task Probe_reads_the_facts_of_real_clips(string clip, string container, string codec, string? audio, int width, int height)
    {
        var info = await processor.ProbeAsync(Clips.Real(clip));

        Assert.StartsWith(container, info.Container, StringComparison.Ordinal);
        Assert.Equal(codec, info.VideoCodec);
        Assert.Equal(audio, info.AudioCodec);
        Assert.Equal((width, height), (info.Width, info.Height));
        Assert.InRange(info.DurationMs, clip == "vtest.avi" ? 79_000 : 3_500, clip == "vtest.avi" ? 80_000 : 5_700);
        Assert.InRange(info.FrameRate, 10, 30);
        Assert.True(info.BitRate > 0);
    }

    [Fact]
    public async Task Probe_applies_the_rotation_and_reads_the_location_and_creation_time()
    {
        var info = await processor.ProbeAsync(Clips.RotatedWithLocation);

        Assert.Equal(90, info.Rotation);
        Assert.Equal((320, 560), (info.Width, info.Height));
        Assert.Equal(48.8584, info.Latitude!.Value, 4);
        Assert.Equal(2.2945, info.Longitude!.Value, 4);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), info.CreatedAt);
    }

    [Fact]
    public async Task The_poster_skips_black_frames_and_has_the_display_size()
    {
        var clip = Clips.BlackThenPattern;
        var poster = await processor.ExtractPosterAsync(clip, await processor.ProbeAsync(clip));

        using var image = Image.NewFromBuffer(poster);
        Assert.Equal((320, 240), (image.Width, image.Height));
        Assert.True(image.Avg() > 40, $"the poster is dark (mean {image.Avg():0.0})");
        Assert.True(image.Deviate() > 20, "the poster is flat");
    }

    [Theory]
    [InlineData("mp4.mp4")]
    [InlineData("webm.webm")]
    [InlineData("ogg.ogv")]
    [InlineData("3gp.3gp")]
    [InlineData("flv.flv")]
    [InlineData("asf.asf")]
    [InlineData("rmvb.rmvb")]
    [InlineData("mkv.mkv")] // no seek index: the poster comes from the start
    [InlineData("vtest.avi")]
    public async Task Every_real_clip_gets_a_poster_of_its_display_size(string clip)
    {
        var facts = await processor.ProbeAsync(Clips.Real(clip));
        var poster = await processor.ExtractPosterAsync(Clips.Real(clip), facts);

        using var image = Image.NewFromBuffer(poster);
        Assert.Equal(FFmpegVideoProcessor.Fit(facts.Width, facts.Height, 1920), (image.Width, image.Height));
        Assert.True(image.Deviate() > 10, "the poster is flat");
    }

    [Fact]
    public async Task A_rotated_clip_gets_an_upright_poster()
    {
        var clip = Clips.RotatedWithLocation;
        var poster = await processor.ExtractPosterAsync(clip, await processor.ProbeAsync(clip));

        using var image = Image.NewFromBuffer(poster);
        Assert.Equal((320, 560), (image.Width, image.Height));
    }

    [Theory]
    [InlineData("vtest.avi", 720, 540, false)]
    [InlineData("mkv.mkv", 720, 404, true)]
    [InlineData("webm.webm", 560, 320, true)]
    public async Task The_web_rendition_is_h264_and_aac_in_a_faststart_mp4_within_the_edge(string clip, int width, int height, bool hasAudio)
    {
        var source = Clips.Real(clip);
        var reencoded = await processor.WriteWebRenditionAsync(source, await processor.ProbeAsync(source), output, 720);

        Assert.True(reencoded);
        var made = await processor.ProbeAsync(output);
        Assert.StartsWith("mov", made.Container, StringComparison.Ordinal);
        Assert.Equal(("h264", "yuv420p"), (made.VideoCodec, made.PixelFormat));
        Assert.Equal(hasAudio ? "aac" : null, made.AudioCodec);
        Assert.Equal((width, height), (made.Width, made.Height));
        Assert.True(IndexComesFirst(output), "moov is not before mdat");
    }

    [Fact]
    public async Task A_qualifying_clip_is_copied_without_reencoding_and_without_its_location()
    {
        var source = Clips.QualifyingWithLocation;
        var facts = await processor.ProbeAsync(source);
        Assert.NotNull(facts.Latitude);

        Assert.False(await processor.WriteWebRenditionAsync(source, facts, output, 720));

        var made = await processor.ProbeAsync(output);
        Assert.Equal(("h264", "aac", 560, 320), (made.VideoCodec, made.AudioCodec, made.Width, made.Height));
        Assert.Null(made.Latitude);
        Assert.Null(made.CreatedAt);
        Assert.True(IndexComesFirst(output));
    }

    [Fact]
    public async Task A_rotated_clip_is_reencoded_upright()
    {
        var source = Clips.RotatedWithLocation;
        Assert.True(await processor.WriteWebRenditionAsync(source, await processor.ProbeAsync(source), output, 720));

        var made = await processor.ProbeAsync(output);
        Assert.Equal((0, 320, 560), (made.Rotation, made.Width, made.Height));
        Assert.Null(made.Latitude);
    }

    [Fact]
    public async Task Hostile_files_are_refused_with_typed_errors()
    {
        await Assert.ThrowsAsync<UnsupportedVideoException>(() => processor.ProbeAsync(Clips.NotAVideo));
        await Assert.ThrowsAsync<VideoDecodeException>(() => processor.ProbeAsync(Clips.TruncatedMp4));
        await Assert.ThrowsAsync<UnsupportedVideoException>(() => processor.ProbeAsync(Clips.ZeroLengthStreams));
        await Assert.ThrowsAsync<UnsupportedVideoException>(() => processor.ProbeAsync(Clips.ConcatScript));
        await Assert.ThrowsAsync<InputTooLargeException>(() => processor.ProbeAsync(Clips.ManyStreams));
        var absurd = await processor.ProbeAsync(Clips.AbsurdDimensions); // refused by the core's pixel limit, before any frame is decoded
        Assert.Equal((20000, 10000), (absurd.Width, absurd.Height));
    }

    [Fact]
    public async Task A_playlist_is_refused_without_reading_its_local_file_or_fetching_its_url()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/segment.ts");
        var playlist = Clips.HlsPlaylist(url);

        await Assert.ThrowsAsync<UnsupportedVideoException>(() => processor.ProbeAsync(playlist));
        await Assert.ThrowsAsync<VideoDecodeException>(() => processor.ExtractPosterAsync(playlist, Facts()));
        await Assert.ThrowsAsync<VideoDecodeException>(() => processor.WriteWebRenditionAsync(playlist, Facts(), output, 720));

        Assert.False(listener.Pending(), "ffmpeg connected to the playlist's URL");
    }

    [Fact]
    public async Task A_run_past_its_limit_is_killed_and_leaves_no_file()
    {
        using var slow = new FFmpegVideoProcessor(Options.Create(new FFmpegOptions { RenditionTimeout = TimeSpan.FromSeconds(1), Preset = "veryslow" }));
        var source = Clips.Real("vtest.avi");
        var facts = await processor.ProbeAsync(source);

        var error = await Assert.ThrowsAsync<VideoDecodeException>(() => slow.WriteWebRenditionAsync(source, facts, output, 720));

        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Process.GetProcessesByName("ffmpeg"), p => CommandLine(p).Contains(output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_starts_at_low_priority_and_cancellation_kills_it_and_leaves_no_file()
    {
        var source = Clips.Real("vtest.avi");
        var facts = await processor.ProbeAsync(source);
        using var cancel = new CancellationTokenSource();
        using var slow = new FFmpegVideoProcessor(Options.Create(new FFmpegOptions { Preset = "veryslow" }));
        var running = slow.WriteWebRenditionAsync(source, facts, output, 720, cancel.Token);

        Process? ffmpeg = null;
        for (var i = 0; i < 200 && ffmpeg is null && !running.IsCompleted; i++)
        {
            ffmpeg = Process.GetProcessesByName("ffmpeg").FirstOrDefault(p => CommandLine(p).Contains(output, StringComparison.Ordinal));
            await Task.Delay(50);
        }

        Assert.NotNull(ffmpeg);
        var stat = File.ReadAllText($"/proc/{ffmpeg.Id}/stat");
        Assert.Equal("10", stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]); // field 19: the niceness
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Process.GetProcessesByName("ffmpeg"), p => CommandLine(p).Contains(output, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_run_reads_only_a_local_file_through_the_accepted_demuxers()
    {
        var arguments = processor.WebRenditionArguments("/tmp/in", Facts(), "/tmp/out.mp4", 720, copy: false);

        Assert.Equal("-nostdin", arguments[0]);
        Assert.Equal("file", arguments[Array.IndexOf(arguments, "-protocol_whitelist") + 1]);
        Assert.DoesNotContain("hls", arguments[Array.IndexOf(arguments, "-format_whitelist") + 1], StringComparison.Ordinal);
        Assert.Equal("file:/tmp/in", arguments[Array.IndexOf(arguments, "-i") + 1]);
        Assert.Contains("+faststart", arguments);
    }

    public void Dispose()
    {
        processor.Dispose();
        File.Delete(output);
    }

    private static VideoInfo Facts() =>
        new() { Container = "mov", VideoCodec = "h264", PixelFormat = "yuv420p", DurationMs = 5000, Width = 320, Height = 240, FrameRate = 25, StreamCount = 1 };

    /// <summary>Whether the MP4's index (moov) comes before its media data (mdat), walking the top-level boxes.</summary>
    private static bool IndexComesFirst(string mp4)
    {
        using var file = File.OpenRead(mp4);
        var header = new byte[8];
        while (file.Read(header) == 8)
        {
            var size = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            if (type is "moov" or "mdat")
            {
                return type == "moov";
            }

            if (size == 1)
            {
                var large = new byte[8];
                file.ReadExactly(large);
                size = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(large) - 8;
            }

            file.Seek(size - 8, SeekOrigin.Current);
        }

        return false;
    }

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
