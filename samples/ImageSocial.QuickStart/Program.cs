// The README's quick start, compiled and run by the tests (tests/ImageSocial.Tests/QuickStartTests.cs), which also check that the
// README shows exactly the lines between the quick-start markers. Run it with two photos, in a folder of your choice:
//   dotnet run --project samples/ImageSocial.QuickStart -- pier.jpg harbour.jpg
// <quick-start>
using ImageSocial;
using Microsoft.Extensions.DependencyInjection;

var services = new ServiceCollection();
services.AddImageSocial(o => o.DeletedRetention = TimeSpan.FromDays(30)) // how long a deleted photo can be restored
    .AddEmbeddedDefaults("data");                                        // SQLite, blobs on disk, the vector index, libvips
await using var provider = services.BuildServiceProvider();
var sdk = provider.GetRequiredService<ImageSocialService>();

var alice = await sdk.CreateUserAsync("alice", "Alice");
var bob = await sdk.CreateUserAsync("bob", "Bob", isPrivate: true);
var asAlice = sdk.For(alice.Id);                     // the SDK acting as alice: her actions, and only what she may see
var asBob = sdk.For(bob.Id);
await asBob.FollowAsync(alice.Id);                   // alice's account is public: bob follows at once
await asAlice.FollowAsync(bob.Id);                   // bob's is private: a pending request...
await asBob.ApproveFollowRequestAsync(alice.Id);     // ...that bob approves

var pier = await asAlice.UploadPhotoAsync(await File.ReadAllBytesAsync(args[0]),
    new PhotoDraft("Sunset over the pier", ["sunset", "sea"], Visibility.Followers));
await asAlice.UploadPhotoAsync(await File.ReadAllBytesAsync(args[1]), new PhotoDraft("The harbour at dusk", ["sea"]));
await sdk.Jobs.WaitUntilIdleAsync();                 // embedding runs in the background; a script can wait for it

var feed = await asBob.GetFeedAsync();
var hits = await asBob.SearchAsync("pier");
var alike = await asBob.FindSimilarAsync(pier.Id, limit: 10);
await using var thumb = await asBob.OpenContentAsync(pier.Id, RenditionKind.Thumb);
Console.WriteLine($"feed {feed.Items.Count}, search {hits.Items.Count}, similar {alike.Count}, thumbnail {thumb.Length} bytes");
// </quick-start>
