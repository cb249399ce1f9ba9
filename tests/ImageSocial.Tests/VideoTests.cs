using ImageSocial.ProviderServices;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Tests;

/// <summary>Videos through the SDK on the embedded store with the FFmpeg processor: a video is a post like a photo (feed, search,
/// similar, likes, comments, trash), made web-playable by a job; hostile and oversized uploads are refused with nothing left behind.</summary>
public sealed class VideoTests : IDisposable
{
    private readonly string staging = Directory.CreateTempSubdirectory("imagesocial-staging-").FullName;
    private readonly TestHost host;

    public VideoTests() => host = new TestHost(providers: b => b.AddFFmpegVideo(), configure: o => o.Video.WorkDirectory = staging);

    private ImageSocialService Sdk => host.Service;

    [Fact]
    public async Task A_video_is_stored_processing_then_ready_and_plays_from_its_web_rendition()
    {
        var alice = await Sdk.CreateUserAsync("alice", "Alice");
        var bob = await Sdk.CreateUserAsync("bob", "Bob");
        await Sdk.For(bob.Id).FollowAsync(alice.Id);

        Photo video;
        await using (var clip = File.OpenRead(Clips.Real("webm.webm")))
        {
            video = await Sdk.For(alice.Id).UploadAsync(clip, new PhotoDraft("beach walk", ["sea"], Visibility.Followers));
        }

        Assert.Equal((PostKind.Video, MediaStatus.Processing), (video.Kind, video.Status));
        Assert.Equal(("vp8", "vorbis", 560, 320), (video.Video!.VideoCodec, video.Video.AudioCodec, video.Video.Width, video.Video.Height));
        Assert.Equal((560, 320), (video.Image.DisplayWidth, video.Image.DisplayHeight)); // the poster
        await Assert.ThrowsAsync<ConflictException>(() => Sdk.For(bob.Id).OpenContentAsync(video.Id, RenditionKind.Video));

        var sameScene = await Upload(alice, Clips.Real("mp4.mp4")); // the same clip in another container: its poster looks alike
        await host.Jobs.RunDueAsync();

        var ready = await Sdk.For(bob.Id).GetPhotoAsync(video.Id);
        Assert.Equal(MediaStatus.Ready, ready.Status);
        using (var content = await Sdk.For(bob.Id).OpenContentAsync(video.Id, RenditionKind.Video))
        {
            Assert.Equal("video/mp4", content.ContentType);
            var head = new byte[12];
            await content.Content.ReadExactlyAsync(head);
            Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(head, 4, 4));
        }

        Assert.Equal([sameScene.Id, video.Id], (await Sdk.For(bob.Id).GetFeedAsync()).Items.Select(p => p.Id));
        Assert.Equal([video.Id], (await Sdk.For(bob.Id).SearchAsync("beach")).Items.Select(p => p.Id));
        Assert.Equal(sameScene.Id, (await Sdk.For(bob.Id).FindSimilarAsync(video.Id, 5))[0].Photo.Id);
        await Sdk.For(bob.Id).LikeAsync(video.Id);
        await Sdk.For(bob.Id).AddCommentAsync(video.Id, "nice waves");
        Assert.Equal((1, 1), ((await Sdk.For(bob.Id).GetPhotoAsync(video.Id)).LikeCount, (await Sdk.For(bob.Id).GetPhotoAsync(video.Id)).CommentCount));

        // Not visible, not served: a stranger gets nothing; after deletion, nobody but the owner's trash.
        var eve = await Sdk.CreateUserAsync("eve", "Eve");
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(eve.Id).OpenContentAsync(video.Id, RenditionKind.Video));
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(bob.Id).OpenContentAsync(video.Id, RenditionKind.Original));
        await Sdk.For(alice.Id).DeletePhotoAsync(video.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(bob.Id).OpenContentAsync(video.Id, RenditionKind.Video));
        Assert.Empty(Directory.GetFiles(staging));
    }

    [Fact]
    public async Task A_purged_video_leaves_no_blob()
    {
        var alice = await Sdk.CreateUserAsync("alice", "Alice");
        var video = await Upload(alice, Clips.Real("mp4.mp4"));
        await host.Jobs.RunDueAsync();
        var blobs = host.Get<IBlobStore>();
        Assert.True(await blobs.ExistsAsync(BlobKeys.ForRendition(alice.Id, video.Id, RenditionKind.Video)));

        await Sdk.For(alice.Id).DeletePhotoAsync(video.Id);
        host.Clock.Now += TimeSpan.FromDays(31);
        await Sdk.PurgeExpiredAsync();
        await host.Jobs.RunDueAsync();

        Assert.Empty(await Keys(alice));
    }

    [Fact]
    public async Task A_video_the_processor_cannot_convert_is_marked_failed_with_the_reason()
    {
        var alice = await Sdk.CreateUserAsync("alice", "Alice");
        var video = await Upload(alice, Clips.Real("mp4.mp4"));
        // The original is replaced by bytes ffmpeg cannot read, as a damaged blob would be.
        await host.Get<IBlobStore>().PutAsync(BlobKeys.ForRendition(alice.Id, video.Id, RenditionKind.Original), new byte[4096], "video/mp4");

        await host.Jobs.RunDueAsync();

        var failed = await Sdk.For(alice.Id).GetPhotoAsync(video.Id);
        Assert.Equal(MediaStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrEmpty(failed.Video!.FailureReason));
        await Assert.ThrowsAsync<ConflictException>(() => Sdk.For(alice.Id).OpenContentAsync(video.Id, RenditionKind.Video));
    }

    public static TheoryData<string, Type> Hostile => new()
    {
        { "not-a-video", typeof(UnsupportedVideoException) },
        { "truncated", typeof(VideoDecodeException) },
        { "zero-length", typeof(UnsupportedVideoException) },
        { "playlist", typeof(UnsupportedVideoException) },
        { "concat", typeof(UnsupportedVideoException) },
        { "absurd-dimensions", typeof(InputTooLargeException) },
        { "many-streams", typeof(InputTooLargeException) },
        { "duration-bomb", typeof(InputTooLargeException) },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_upload_is_refused_with_a_typed_error_and_leaves_nothing(string name, Type error)
    {
        var alice = await Sdk.CreateUserAsync("alice", "Alice");
        var file = Clips.Hostile(name);

        await using (var upload = File.OpenRead(file))
        {
            Assert.IsType(error, await Assert.ThrowsAnyAsync<ImageSocialException>(() => Sdk.For(alice.Id).UploadAsync(upload, new PhotoDraft(name, [], Visibility.Public))));
        }

        Assert.Empty((await Sdk.For(alice.Id).ListPhotosAsync(alice.Id)).Items);
        Assert.Empty(await Keys(alice));
        Assert.Empty(Directory.GetFiles(staging));
    }

    [Fact]
    public async Task An_upload_over_the_byte_limit_is_refused_while_it_streams()
    {
        using var small = new TestHost(providers: b => b.AddFFmpegVideo(), configure: o => (o.Video.MaxBytes, o.Video.WorkDirectory) = (100_000, staging));
        var alice = await small.Service.CreateUserAsync("alice", "Alice");

        await using var clip = File.OpenRead(Clips.Real("vtest.avi"));
        await Assert.ThrowsAsync<InputTooLargeException>(() => small.Service.For(alice.Id).UploadAsync(clip, new PhotoDraft("big", [], Visibility.Public)));

        Assert.True(clip.Position < 8_000_000, "the whole upload was read before it was refused");
        Assert.Empty(Directory.GetFiles(staging));
    }

    [Fact]
    public async Task Without_a_video_processor_a_video_is_refused_as_an_unsupported_image()
    {
        using var photosOnly = new TestHost();
        var alice = await photosOnly.Service.CreateUserAsync("alice", "Alice");

        await using var clip = File.OpenRead(Clips.Real("mp4.mp4"));
        await Assert.ThrowsAsync<UnsupportedImageFormatException>(() => photosOnly.Service.For(alice.Id).UploadAsync(clip, new PhotoDraft("clip", [], Visibility.Public)));
    }

    public void Dispose()
    {
        host.Dispose();
        Directory.Delete(staging, recursive: true);
    }

    private async Task<Photo> Upload(User owner, string path)
    {
        await using var clip = File.OpenRead(path);
        return await Sdk.For(owner.Id).UploadVideoAsync(clip, new PhotoDraft(Path.GetFileName(path), [], Visibility.Public));
    }

    private async Task<List<string>> Keys(User owner)
    {
        var keys = new List<string>();
        await foreach (var key in host.Get<IBlobStore>().ListAsync(owner.Id + "/"))
        {
            keys.Add(key);
        }

        return keys;
    }
}
