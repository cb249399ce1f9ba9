using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.Tests;

/// <summary>Blanking serial numbers in uploaded originals: nothing to do means no copy, and damaged EXIF never throws.</summary>
public sealed class ExifSerialsTests
{
    [Fact]
    public void An_original_without_serials_is_returned_as_it_is()
    {
        ReadOnlyMemory<byte> plain = TestImages.Encode(64, 48);
        ReadOnlyMemory<byte> withExif = TestImages.WithExif(TestImages.Encode(64, 48), 1, 10, 20);

        Assert.True(ExifSerials.Scrub(plain).Equals(plain));
        Assert.Equal(withExif.ToArray(), ExifSerials.Scrub(withExif).ToArray());
    }

    [Fact]
    public void Damaged_exif_is_left_alone_without_throwing()
    {
        var jpeg = TestImages.WithExif(TestImages.Encode(64, 48), 1, 10, 20, serial: "SERIAL");
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var damaged = jpeg.ToArray();
            for (var flips = 0; flips < 4; flips++)
            {
                damaged[random.Next(12, 200)] = (byte)random.Next(256); // inside the EXIF segment: offsets, counts, types
            }

            var scrubbed = ExifSerials.Scrub(damaged);
            Assert.Equal(damaged.Length, scrubbed.Length);
        }
    }
}
