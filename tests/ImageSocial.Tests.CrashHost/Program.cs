// Uploads photos with the job runner off, acknowledges each on stdout, then waits to be killed:
// the crash test kills it between the metadata commits and the end of the follow-up jobs.
using ImageSocial;
using ImageSocial.Imaging.Vips.Tests;
using Microsoft.Extensions.DependencyInjection;

var data = args[0];
var count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
using var provider = new ServiceCollection().AddImageSocial(o =>
{
    o.DataDirectory = data;
    o.Jobs.Enabled = false;
}).Services.BuildServiceProvider();
var service = provider.GetRequiredService<ImageSocialService>();
var user = await service.CreateUserAsync("crasher", "Crash Test");
Console.WriteLine($"USER {user.Id}");
for (var i = 0; i < count; i++)
{
    var shade = (byte)(i * 40);
    var image = TestImages.Encode(320, 240, "jpeg", (x, y) => ((byte)(x + shade), (byte)(y * i), shade));
    var photo = await service.UploadPhotoAsync(user.Id, image, new PhotoDraft($"crash {i}", ["crash"]));
    Console.WriteLine($"ACK {photo.Id}");
}

Console.WriteLine("DONE");
await Task.Delay(Timeout.Infinite);
