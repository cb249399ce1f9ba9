using Microsoft.Extensions.Options;

namespace ImageSocial.Imaging.Vips.Tests;

public class VipsImageCodecTests
{
    private readonly VipsImageCodec codec = new();

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("tiff")]
    public void Probe_reads_format_and_size(string format)
    {
        var info = codec.Probe(TestImages.Encode(320, 200, format));
        Assert.Equal(format, info.Format);
        Assert.Equal((320, 200, 1, 1), (info.Width, info.Height, info.Orientation, info.FrameCount));
    }

    [Fact]
    public void Probe_reads_exif_orientation_time_camera_and_gps()
    {
        var jpeg = TestImages.WithExif(TestImages.Encode(400, 300), orientation: 6, latitude: 51.5007, longitude: -0.1246);
        var info = codec.Probe(jpeg);
        Assert.Equal(6, info.Orientation);
        Assert.Equal((300, 400), (info.DisplayWidth, info.DisplayHeight));
        Assert.Equal("TestCam", info.CameraMake);
        Assert.Equal("Model 7", info.CameraModel);
        Assert.Equal(new DateTimeOffset(2021, 6, 15, 14, 30, 0, TimeSpan.Zero), info.CapturedAt);
        Assert.Equal(51.5007, info.Latitude!.Value, 3);
        Assert.Equal(-0.1246, info.Longitude!.Value, 3);
    }

    [Fact]
    public void Renditions_have_the_standard_sizes_are_rotated_and_carry_no_exif()
    {
        var jpeg = TestImages.WithExif(TestImages.Encode(2000, 1000), orientation: 6, latitude: 10, longitude: 20);
        var renditions = codec.CreateRenditions(jpeg, RenditionSpec.Standard);
        Assert.Equal([RenditionKind.Thumb, RenditionKind.Feed, RenditionKind.Large], renditions.Select(r => r.Kind));
        Assert.Equal((150, 150), (renditions[0].Width, renditions[0].Height));
        Assert.Equal((320, 640), (renditions[1].Width, renditions[1].Height));
        Assert.Equal((540, 1080), (renditions[2].Width, renditions[2].Height));
        foreach (var rendition in renditions)
        {
            var info = codec.Probe(rendition.Data);
            Assert.Equal((rendition.Width, rendition.Height, 1), (info.Width, info.Height, info.Orientation));
            Assert.Null(info.Latitude);
            Assert.Null(info.CameraMake);
            Assert.Equal("image/jpeg", rendition.ContentType);
        }
    }

    [Fact]
    public void Small_images_are_not_upscaled_except_the_square_thumb()
    {
        var renditions = codec.CreateRenditions(TestImages.Encode(100, 80, "png"), RenditionSpec.Standard);
        Assert.Equal((150, 150), (renditions[0].Width, renditions[0].Height));
        Assert.Equal((100, 80), (renditions[2].Width, renditions[2].Height));
    }

    [Fact]
    public void WebP_renditions_when_configured()
    {
        var webp = new VipsImageCodec(Options.Create(new VipsCodecOptions { RenditionFormat = RenditionFormat.WebP, Quality = 70 }));
        var rendition = webp.CreateRenditions(TestImages.Encode(800, 600), [new RenditionSpec(RenditionKind.Feed, 640, false)]).Single();
        Assert.Equal("image/webp", rendition.ContentType);
        Assert.Equal("webp", webp.Probe(rendition.Data).Format);
    }

    [Fact]
    public void Model_input_is_normalized_chw_of_the_requested_size()
    {
        var red = TestImages.Encode(64, 48, "png", (_, _) => (255, 0, 0));
        var spec = new ModelInputSpec(16, 16, ResizeMode.CenterCrop, ModelInputSpec.ImageNetMean, ModelInputSpec.ImageNetStd);
        var input = new float[spec.Length];
        codec.GetModelInput(red, spec, input);
        Assert.All(input.AsSpan(0, 256).ToArray(), v => Assert.Equal((1 - 0.485f) / 0.229f, v, 3));
        Assert.All(input.AsSpan(256, 256).ToArray(), v => Assert.Equal((0 - 0.456f) / 0.224f, v, 3));
        var bgr = new float[spec.Length];
        codec.GetModelInput(red, spec with { Bgr = true }, bgr);
        Assert.Equal((1 - 0.485f) / 0.229f, bgr[512], 3);
    }

    [Fact]
    public void Not_an_image_is_unsupported()
    {
        Assert.Throws<UnsupportedImageFormatException>(() => codec.Probe("hello, this is plain text and not an image"u8.ToArray()));
        Assert.Throws<UnsupportedImageFormatException>(() => codec.Probe(new byte[3]));
        Assert.Throws<UnsupportedImageFormatException>(() => codec.Probe("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>"u8.ToArray()));
    }

    [Fact]
    public void Decompression_bomb_is_rejected_from_the_header()
    {
        var bomb = TestImages.PngClaiming(50000, 50000);
        Assert.True(bomb.Length < 2048);
        Assert.Throws<InputTooLargeException>(() => codec.Probe(bomb));
        Assert.Throws<InputTooLargeException>(() => codec.CreateRenditions(bomb, RenditionSpec.Standard));
    }

    [Fact]
    public void Byte_limit_is_enforced()
    {
        var small = new VipsImageCodec(Options.Create(new VipsCodecOptions { MaxEncodedBytes = 1000 }));
        Assert.Throws<InputTooLargeException>(() => small.Probe(TestImages.Encode(300, 300, "png")));
    }

    [Fact]
    public void Truncated_and_corrupt_files_are_decode_errors()
    {
        var jpeg = TestImages.Encode(600, 400, "jpeg", (x, y) => ((byte)(x * y * 31), (byte)(x ^ y), (byte)(x + (y * 7))));
        var truncated = jpeg[..(jpeg.Length / 2)];
        var ex = Assert.Throws<ImageDecodeException>(() => codec.CreateRenditions(truncated, RenditionSpec.Standard));
        Assert.Equal("libvips", ex.ProviderName);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));

        var flipped = (byte[])jpeg.Clone();
        for (var i = 200; i < flipped.Length - 2; i += 7)
        {
            flipped[i] ^= 0x5A;
        }

        var error = Record.Exception(() => codec.CreateRenditions(flipped, RenditionSpec.Standard));
        Assert.True(error is null or ImageDecodeException or UnsupportedImageFormatException, error?.GetType().Name);
    }

    [Fact]
    public void Real_photos_decode_with_the_bundled_libvips_avif_included()
    {
        // The libvips of NetVips.Native, not the system's (Debian has 8.14 when libvips-tools is installed, as it is for the tests).
        Assert.Equal((8, 18), (NetVips.NetVips.Version(0), NetVips.NetVips.Version(1)));

        // An AVIF not made by us (Debian's golang mimetype testdata) and a 16 MB 5640×3172 JPEG from mate-backgrounds.
        var avif = File.ReadAllBytes(Path.Combine(ImageSocial.Testing.Servers.RealPhotos.Folder, "formats", "avif.avif"));
        Assert.Equal(("heif", 320, 180), (codec.Probe(avif).Format, codec.Probe(avif).Width, codec.Probe(avif).Height));
        Assert.Equal(3, codec.CreateRenditions(avif, RenditionSpec.Standard).Count);

        var large = File.ReadAllBytes(ImageSocial.Testing.Servers.RealPhotos.Photos.Single(p => p.EndsWith("Elephants_5640x3172.jpg", StringComparison.Ordinal)));
        var info = codec.Probe(large);
        Assert.Equal(("jpeg", 5640, 3172), (info.Format, info.Width, info.Height));
        var renditions = codec.CreateRenditions(large, RenditionSpec.Standard);
        Assert.Equal(1080, renditions.Max(r => Math.Max(r.Width, r.Height)));
    }

    [Fact]
    public void A_heic_from_a_phone_is_refused_as_unsupported_because_the_bundled_libvips_has_no_hevc_decoder()
    {
        // HEVC-compressed HEIF (what phones write), encoded from a real photo by tools/real-photos.sh with libheif's heif-enc.
        var heic = File.ReadAllBytes(Path.Combine(ImageSocial.Testing.Servers.RealPhotos.Folder, "formats", "apple.heic"));
        for (var attempt = 0; attempt < 2; attempt++) // the second answer comes from what the first one learnt
        {
            var refused = Assert.Throws<UnsupportedImageFormatException>(() => codec.Probe(heic));
            Assert.Contains("HEVC", refused.Message, StringComparison.Ordinal);
        }

        Assert.Throws<UnsupportedImageFormatException>(() => codec.CreateRenditions(heic, RenditionSpec.Standard));
    }

    [Theory]
    [InlineData(".gif")]
    [InlineData(".tif")]
    [InlineData(".webp")]
    public void Frames_beyond_the_limit_are_refused_from_the_header_in_every_format_that_has_them(string suffix)
    {
        // A small file can hold many frames (each costs a decode); the count is read from the header and refused before any of them.
        var limited = new VipsImageCodec(Options.Create(new VipsCodecOptions { MaxFrames = 10 }));
        var many = Animation(frames: 40, suffix);
        Assert.Throws<InputTooLargeException>(() => limited.Probe(many));
        Assert.Throws<InputTooLargeException>(() => limited.CreateRenditions(many, RenditionSpec.Standard));
        var few = Animation(frames: 5, suffix);
        Assert.Equal(5, limited.Probe(few).FrameCount);
        Assert.Equal(3, limited.CreateRenditions(few, RenditionSpec.Standard).Count);
    }

    private static byte[] Animation(int frames, string suffix)
    {
        // Every frame a different shade: encoders fold identical frames into one.
        using var xyz = NetVips.Image.Xyz(32, 32 * frames);
        using var y = xyz[1];
        using var shade = (y * (200.0 / (32 * frames))).Cast(NetVips.Enums.BandFormat.Uchar);
        using var rgb = shade.Bandjoin(shade, shade);
        using var paged = rgb.Mutate(m => m.Set(NetVips.GValue.GIntType, "page-height", 32));
        return paged.WriteToBuffer(suffix);
    }

    [Fact]
    public void Content_that_lies_about_its_type_is_rejected()
    {
        var png = TestImages.Encode(50, 50, "png");
        var liar = "\xFF\xD8\xFF\xE0"u8.ToArray().Concat(png.Skip(4)).ToArray();
        var error = Record.Exception(() => codec.CreateRenditions(liar, RenditionSpec.Standard));
        Assert.True(error is ImageDecodeException or UnsupportedImageFormatException, error?.GetType().Name);
    }

    [Fact]
    public void Concurrent_use_is_safe_and_native_memory_does_not_grow()
    {
        const int PerThreadSlack = 64;
        var jpeg = TestImages.Encode(640, 480);
        codec.CreateRenditions(jpeg, RenditionSpec.Standard);
        var before = VipsImageCodec.TrackedMemory();
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (i % 2 == 0)
            {
                Assert.Equal(640, codec.Probe(jpeg).Width);
            }
            else
            {
                Assert.Equal(150, codec.CreateRenditions(jpeg, [new RenditionSpec(RenditionKind.Thumb, 150, true)])[0].Width);
            }
        });
        var after = VipsImageCodec.TrackedMemory();

        // libvips keeps a few buffers per worker thread, and under CPU load its threads come and go, so the count may drift by a handful
        // either way; a leak of even one allocation per call would add thousands (and a leaked rendition megabytes).
        Assert.InRange(after.Allocations - before.Allocations, -PerThreadSlack, PerThreadSlack);
        Assert.True(after.Bytes <= before.Bytes + (8 << 20), $"libvips tracks {after.Bytes} bytes, {before.Bytes} before");
    }

    [Fact]
    public void A_jpeg_whose_scans_cost_far_more_than_its_size_is_refused_before_decoding_and_a_normal_progressive_one_is_not()
    {
        var codec = new VipsImageCodec();
        var baseline = TestImages.Encode(120, 90);
        var progressive = TestImages.EncodeProgressive(120, 90);
        Assert.Equal(1, JpegScans.Count(baseline, 100));
        Assert.InRange(JpegScans.Count(progressive, 100), 2, 20);
        Assert.Equal(120, codec.Probe(progressive).Width);

        // The trick: the last scan repeated until decoding costs a pass over the image per copy, in a file of a few hundred KB.
        var lastScan = progressive.AsSpan().LastIndexOf(new byte[] { 0xFF, 0xDA });
        var scan = progressive[lastScan..^2];
        var bomb = progressive[..lastScan].Concat(Enumerable.Repeat(scan, 400).SelectMany(b => b)).Concat(new byte[] { 0xFF, 0xD9 }).ToArray();
        Assert.True(JpegScans.Count(bomb, 100) > 100);
        Assert.Throws<ImageDecodeException>(() => codec.Probe(bomb));
        Assert.Throws<ImageDecodeException>(() => codec.CreateRenditions(bomb, RenditionSpec.Standard));
        var input = new float[3 * 8 * 8];
        Assert.Throws<ImageDecodeException>(() => codec.GetModelInput(bomb, new ModelInputSpec(8, 8, ResizeMode.Stretch, ModelInputSpec.ImageNetMean, ModelInputSpec.ImageNetStd), input));
    }
}
