using ImageSocial.Imaging.Vips.Tests;
using ImageSocial.ProviderServices;

namespace ImageSocial.Tests;

/// <summary>Work that keeps failing is set aside after <see cref="JobRunnerOptions.MaxAttempts"/> tries, and an administrator puts it back.</summary>
public sealed class DeadLetterTests : IDisposable
{
    private readonly TestHost host = new();

    [Fact]
    public async Task A_job_failing_ten_times_is_dead_lettered_with_its_error_and_runs_again_when_retried()
    {
        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("failing", "Failing");
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(80, 60, "jpeg", (x, y) => ((byte)(x * 3), (byte)(y * 4), 77)), new PhotoDraft("lost"));
        var blobs = host.Get<IBlobStore>();
        var key = BlobKeys.ForRendition(owner.Id, photo.Id, RenditionKind.Large);
        byte[] large;
        using (var content = (await blobs.GetAsync(key))!)
        using (var copy = new MemoryStream())
        {
            await content.Content.CopyToAsync(copy);
            large = copy.ToArray();
        }

        await blobs.DeleteAsync(key); // the embedding job cannot read what it embeds

        for (var attempt = 1; attempt <= 11; attempt++)
        {
            await host.Jobs.RunDueAsync(); // the embedding fails each time (the upload's orphan check, due after an hour, passes)
            host.Clock.Now += TimeSpan.FromMinutes(11); // past the longest retry delay
        }

        var letter = Assert.Single((await sdk.ListDeadLettersAsync(new PageRequest())).Items);
        Assert.Equal((OutboxKinds.PhotoCreated, photo.Id.Value, 10), (letter.Message.Kind, letter.Message.Subject, letter.Message.Attempts));
        Assert.Contains("no large rendition", letter.Error, StringComparison.Ordinal);
        Assert.Equal((0L, 1L), ((await sdk.GetOutboxStatsAsync()).Pending, (await sdk.GetOutboxStatsAsync()).DeadLetters));
        Assert.Null(await host.Get<IVectorIndex>().GetAsync(photo.Id.Value));

        await blobs.PutAsync(key, large, "image/jpeg"); // the cause is fixed
        await sdk.RetryDeadLetterAsync(letter.Message.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => sdk.RetryDeadLetterAsync(letter.Message.Id));
        Assert.Equal(1, await host.Jobs.RunDueAsync());
        Assert.NotNull(await host.Get<IVectorIndex>().GetAsync(photo.Id.Value));
        Assert.Empty((await sdk.ListDeadLettersAsync(new PageRequest())).Items);
        Assert.Equal(0, (await sdk.GetOutboxStatsAsync()).Pending);
    }

    public void Dispose() => host.Dispose();
}
