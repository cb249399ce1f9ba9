using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The sample host in process, on its own data folder, with settings a test may override.</summary>
public sealed class SampleHostFactory : WebApplicationFactory<Program>
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "imagesocial-host-" + Guid.NewGuid().ToString("N"));
    private int users;

    public string DataDirectory => data;

    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Many sign-ins from one in-process client; the limit itself is tested with its own host.
        ["RateLimits:AuthPerMinute"] = "100000",
        ["RateLimits:UploadsPerMinute"] = "100000",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("IMAGESOCIAL_DATA", data);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Creates an account with a unique username and returns a client signed in as it.</summary>
    public async Task<ApiUser> SignUpAsync(string name, bool isPrivate = false)
    {
        var username = $"{name}_{Interlocked.Increment(ref users)}";
        var anonymous = CreateClient();
        var created = await anonymous.PostAsJsonAsync("/api/users", new { username, password = "correct horse battery", displayName = name, isPrivate });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        return new ApiUser((string)user["id"]!, username, client);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

/// <summary>A signed-in account and its HTTP client.</summary>
public sealed record ApiUser(string Id, string Username, HttpClient Http)
{
    public async Task<JsonObject> UploadAsync(byte[] image, string title = "", string tags = "", string? visibility = null)
    {
        using var response = await Http.PostAsync("/api/photos", Api.Form(image, ("title", title), ("tags", tags), ("visibility", visibility)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The ids in a listing's items (photos, users or comments; scored items by their photo).</summary>
    public async Task<List<string>> IdsAsync(string path) =>
        Api.Ids(await GetJsonAsync(path));

    public async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }
}

internal static class Api
{
    public static MultipartFormDataContent Form(byte[] file, params (string Name, string? Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", "upload.bin");
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                form.Add(new StringContent(value), name);
            }
        }

        return form;
    }

    public static List<string> Ids(JsonObject listing) =>
        listing["items"]!.AsArray().Select(i => (string)(i!["photo"] ?? i)["id"]!).ToList();

    /// <summary>Distinct images: a colour layout that differs per seed, so similarity has something to tell apart.</summary>
    public static byte[] Image(int seed, int width = 96, int height = 64) =>
        TestImages.Encode(width, height, "jpeg", (x, y) => ((byte)((x * (seed + 3) * 7) % 256), (byte)((y * (seed + 5) * 11) % 256), (byte)(seed * 53 % 256)));

    /// <summary>Polls until <paramref name="done"/> holds; background work (embedding) has no completion signal over HTTP.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
