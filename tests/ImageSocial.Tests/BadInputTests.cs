using ImageSocial.ConformanceTests;
using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.Tests;

/// <summary>Malformed ids, hostile strings and unknown users get typed errors and change nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestHost host = new();

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData(" 12")]
    [InlineData("99999999999999999999")]
    [InlineData("1; DROP TABLE photos")]
    [InlineData("\uD800")]
    public void Malformed_ids_are_invalid_id_errors(string text)
    {
        Assert.Throws<InvalidIdException>(() => PhotoId.Parse(text));
        Assert.Throws<InvalidIdException>(() => UserId.Parse(text));
        Assert.False(CommentId.TryParse(text, out _));
    }

    [Fact]
    public void Ids_carry_time_and_shard_and_round_trip()
    {
        var generator = new IdGenerator(TimeProvider.System);
        var a = new PhotoId(generator.Next(4095));
        var b = new PhotoId(generator.Next(4095));
        Assert.True(b > a);
        Assert.Equal(4095, a.LogicalShard);
        Assert.InRange(a.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(a, PhotoId.Parse(a.ToString()));
        var frozen = new IdGenerator(new ManualClock(DateTimeOffset.UtcNow));
        var many = Enumerable.Range(0, 5000).Select(_ => frozen.Next(7)).ToList();
        Assert.Equal(many.Count, many.Distinct().Count());
        Assert.Equal(many.Order(), many);
    }

    [Fact]
    public void Hosts_with_distinct_nodes_never_make_the_same_id()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var first = new IdGenerator(clock, node: 1);
        var second = new IdGenerator(clock, node: 2);
        var a = Enumerable.Range(0, 500).Select(_ => first.Next(9)).ToList();
        var b = Enumerable.Range(0, 500).Select(_ => second.Next(9)).ToList();
        Assert.Empty(a.Intersect(b));
        Assert.All(a, id => Assert.Equal(1, SnowflakeId.GetSequence(id) >> 6));
        Assert.All(b, id => Assert.Equal(9, SnowflakeId.GetLogicalShard(id)));
        Assert.Equal(a.Order(), a);
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdGenerator(clock, node: 16));
    }

    [Fact]
    public async Task Hostile_strings_and_unknown_users_change_nothing()
    {
        var sdk = host.Service;
        var user = await sdk.CreateUserAsync("victim", "Victim");
        var image = TestImages.Encode(200, 150);
        var attempts = new (Func<Task> Call, Type Error)[]
        {
            (() => sdk.For(user.Id).UploadPhotoAsync(image, new PhotoDraft(new string('x', 100_000))), typeof(ValidationException)),
            (() => sdk.For(user.Id).UploadPhotoAsync(image, new PhotoDraft("bad \uD800 surrogate")), typeof(ValidationException)),
            (() => sdk.For(user.Id).UploadPhotoAsync(image, new PhotoDraft("bell \u0007")), typeof(ValidationException)),
            (() => sdk.For(user.Id).UploadPhotoAsync(image, new PhotoDraft("ok", ["a b"])), typeof(ValidationException)),
            (() => sdk.For(user.Id).UploadPhotoAsync(image, new PhotoDraft("ok", Visibility: (Visibility)42)), typeof(ValidationException)),
            (() => sdk.For(new UserId(123456789)).UploadPhotoAsync(image, new PhotoDraft("ghost")), typeof(NotFoundException)),
            (() => sdk.For(user.Id).UploadPhotoAsync("not an image"u8.ToArray(), new PhotoDraft("x")), typeof(UnsupportedImageFormatException)),
            (() => sdk.For(user.Id).UploadPhotoAsync(TestImages.PngClaiming(50000, 50000), new PhotoDraft("bomb")), typeof(InputTooLargeException)),
            (() => sdk.For(user.Id).UploadPhotoAsync(image[..(image.Length / 2)], new PhotoDraft("cut")), typeof(ImageDecodeException)),
            (() => sdk.CreateUserAsync("victim", "Again"), typeof(ConflictException)),
            (() => sdk.CreateUserAsync("Robert'); DROP TABLE users;--", "x"), typeof(ValidationException)),
            (() => sdk.CreateUserAsync("fine_name", new string('n', 101)), typeof(ValidationException)),
            (() => sdk.For(user.Id).FollowAsync(new UserId(987654321)), typeof(NotFoundException)),
            (() => sdk.For(user.Id).FollowAsync(user.Id), typeof(ValidationException)),
            (() => sdk.For(user.Id).SearchAsync("\"*()", null, new PageRequest()), typeof(ValidationException)),
            (() => sdk.For(user.Id).SearchAsync("x", null, new PageRequest("not-a-cursor")), typeof(ValidationException)),
            (() => sdk.For(user.Id).GetPhotoAsync(new PhotoId(42)), typeof(NotFoundException)),
        };

        foreach (var (call, error) in attempts)
        {
            var thrown = await Record.ExceptionAsync(call);
            Assert.NotNull(thrown);
            Assert.IsAssignableFrom(error, thrown);
        }

        Assert.Empty((await sdk.For(user.Id).ListPhotosAsync(user.Id, new PageRequest())).Items);
        Assert.Equal(0, await host.Get<IOutbox>().CountPendingAsync());
        var blobs = new List<string>();
        await foreach (var key in host.Get<IBlobStore>().ListAsync(""))
        {
            blobs.Add(key);
        }

        Assert.Empty(blobs);
        Assert.Equal("victim", (await sdk.FindAccountAsync("VICTIM"))!.Handle);

        // SQL and markup meta-characters are ordinary text where text is allowed.
        var photo = await sdk.For(user.Id).UploadPhotoAsync(image, new PhotoDraft("'; DELETE FROM photos; -- <script>", ["#Tag-1"]));
        Assert.Equal("'; DELETE FROM photos; -- <script>", (await sdk.For(user.Id).GetPhotoAsync(photo.Id)).Title);
        Assert.Equal(["tag-1"], photo.Tags);
    }

    public void Dispose() => host.Dispose();
}
