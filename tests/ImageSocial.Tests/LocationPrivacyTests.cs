using ImageSocial.Imaging.Vips.Tests;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Tests;

/// <summary>Where a post was taken leaves the SDK for its owner, and for other viewers only when the owner shares it: through every
/// viewer-checked read (get, batch get, owner list, feed, search, similar).</summary>
public sealed class LocationPrivacyTests : IDisposable
{
    private readonly TestHost host = new(providers: b => b.AddFFmpegVideo());

    private ImageSocialService Sdk => host.Service;

    [Fact]
    public async Task Gps_reaches_other_viewers_only_when_the_owner_shares_it_through_every_read()
    {
        var (alice, bob) = (await Sdk.CreateUserAsync("alice", "Alice"), await Sdk.CreateUserAsync("bob", "Bob"));
        await Sdk.For(bob.Id).FollowAsync(alice.Id);
        var jpeg = TestImages.WithExif(TestImages.Encode(400, 300), orientation: 1, latitude: 51.5007, longitude: -0.1246);
        var photo = await Sdk.For(alice.Id).UploadPhotoAsync(jpeg, new PhotoDraft("home street", ["home"], Visibility.Public));
        await host.Jobs.RunDueAsync();

        Assert.Equal(51.5007, photo.Image.Latitude!.Value, 3); // the owner gets it
        Assert.Equal(51.5007, (await Sdk.For(alice.Id).GetPhotoAsync(photo.Id)).Image.Latitude!.Value, 3);
        foreach (var seen in await EveryReadAsync(bob, alice, photo))
        {
            Assert.Null(seen.Image.Latitude);
            Assert.Null(seen.Image.Longitude);
            Assert.Equal("TestCam", seen.Image.CameraMake); // only the location is withheld
        }

        await Sdk.For(alice.Id).UpdatePhotoAsync(photo.Id, new PhotoUpdate(ShareLocation: true));

        foreach (var seen in await EveryReadAsync(bob, alice, photo))
        {
            Assert.Equal(51.5007, seen.Image.Latitude!.Value, 3);
        }
    }

    [Fact]
    public async Task A_videos_location_and_creation_time_stay_with_its_owner()
    {
        var (alice, bob) = (await Sdk.CreateUserAsync("alice", "Alice"), await Sdk.CreateUserAsync("bob", "Bob"));
        Photo video;
        await using (var clip = File.OpenRead(Clips.RotatedWithLocation))
        {
            video = await Sdk.For(alice.Id).UploadAsync(clip, new PhotoDraft("walk", [], Visibility.Public));
        }

        Assert.NotNull(video.Video!.Latitude);
        var seen = await Sdk.For(bob.Id).GetPhotoAsync(video.Id);
        Assert.Equal((null, null, null), (seen.Video!.Latitude, seen.Video.Longitude, seen.Video.CreatedAt));
        Assert.NotNull((await Sdk.For(alice.Id).GetPhotoAsync(video.Id)).Video!.CreatedAt);
    }

    [Fact]
    public async Task A_cameras_serial_number_is_never_stored_and_the_rest_of_the_original_is()
    {
        var alice = await Sdk.CreateUserAsync("alice", "Alice");
        var jpeg = TestImages.WithExif(TestImages.Encode(400, 300), orientation: 6, latitude: 51.5007, longitude: -0.1246, serial: "SN-4815162342");
        Assert.True(jpeg.AsSpan().IndexOf("SN-4815162342"u8) > 0);

        var photo = await Sdk.For(alice.Id).UploadPhotoAsync(jpeg, new PhotoDraft("camera", [], Visibility.Public));
        using var content = await Sdk.For(alice.Id).OpenContentAsync(photo.Id, RenditionKind.Original);
        using var stored = new MemoryStream();
        await content.Content.CopyToAsync(stored);

        var bytes = stored.ToArray();
        Assert.Equal(jpeg.Length, bytes.Length);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("SN-4815162342"u8));
        Assert.Equal(jpeg.Length - "SN-4815162342".Length, jpeg.Zip(bytes).Count(p => p.First == p.Second)); // only the serial's bytes differ
        var probed = host.Get<IImageCodec>().Probe(bytes);
        Assert.Equal((6, "TestCam", 51.5007), (probed.Orientation, probed.CameraMake, Math.Round(probed.Latitude!.Value, 4)));
    }

    public void Dispose() => host.Dispose();

    private async Task<List<Photo>> EveryReadAsync(User viewer, User owner, Photo photo)
    {
        var acting = Sdk.For(viewer.Id);
        var similar = await Sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(400, 300), new PhotoDraft("street again", [], Visibility.Public));
        await host.Jobs.RunDueAsync();
        return
        [
            await acting.GetPhotoAsync(photo.Id),
            (await acting.GetPhotosAsync([photo.Id])).Single(),
            (await acting.ListPhotosAsync(owner.Id)).Items.Single(p => p.Id == photo.Id),
            (await acting.GetFeedAsync()).Items.Single(p => p.Id == photo.Id),
            (await acting.GetFeedAsync(new PageRequest(), FeedOrder.Ranked)).Items.Single(p => p.Id == photo.Id),
            (await acting.SearchAsync("home")).Items.Single(),
            (await acting.FindSimilarAsync(similar.Id)).Single(s => s.Photo.Id == photo.Id).Photo,
            (await acting.FindSimilarToImageAsync(TestImages.Encode(400, 300))).Single(s => s.Photo.Id == photo.Id).Photo,
        ];
    }
}
