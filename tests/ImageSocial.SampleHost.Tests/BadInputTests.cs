using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Bad input gets the contract's typed status as problem+json, never a 500, and changes nothing.</summary>
public sealed class BadInputTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    private const string HostileTitle = "<script>alert(1)</script>'; DROP TABLE photos;-- \u202Eevil";

    [Fact]
    public async Task Each_bad_request_gets_its_status_and_nothing_changes()
    {
        var alice = await host.SignUpAsync("owner");
        var bob = await host.SignUpAsync("prober");
        var photo = (string)(await alice.UploadAsync(Api.Image(1), "Untouched", "kept"))["id"]!;
        var jpeg = Api.Image(2);

        var cases = new (ApiUser Caller, HttpMethod Method, string Path, HttpContent? Body, HttpStatusCode Expected)[]
        {
            (bob, HttpMethod.Get, "/api/photos/abc", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/photos/0", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/photos/-5", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/photos/99999999999999999999999", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/photos/%27%3B%20DROP%20TABLE%20photos", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/photos/765453658921545728", null, HttpStatusCode.NotFound),
            (bob, HttpMethod.Get, $"/api/photos/{photo}/content/huge", null, HttpStatusCode.NotFound),
            (bob, HttpMethod.Get, $"/api/photos/{photo}/content/original", null, HttpStatusCode.NotFound),
            (bob, HttpMethod.Get, "/api/users/abc/photos", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, $"/api/users/{alice.Id}/photos?limit=abc", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, $"/api/users/{alice.Id}/photos?limit=0", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, $"/api/users/{alice.Id}/photos?limit=5000", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, $"/api/users/{alice.Id}/photos?cursor=%25%25%25", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/feed?cursor=not-a-cursor", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/search", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, "/api/search?tag=bad%20tag!", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Get, $"/api/photos/{photo}/similar?limit=-1", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Patch, $"/api/photos/{photo}", Json(new { title = "mine now" }), HttpStatusCode.NotFound),
            (bob, HttpMethod.Delete, $"/api/photos/{photo}", null, HttpStatusCode.NotFound),
            (alice, HttpMethod.Post, $"/api/photos/{photo}/restore", null, HttpStatusCode.NotFound),
            (alice, HttpMethod.Patch, $"/api/photos/{photo}", new StringContent("{bad", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Patch, $"/api/photos/{photo}", new StringContent("{\"title\":5}", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Patch, $"/api/photos/{photo}", new StringContent("title=x", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType),
            (alice, HttpMethod.Patch, $"/api/photos/{photo}", Json(new { visibility = "friends" }), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Patch, $"/api/photos/{photo}", Json(new { title = new string('x', 100_000) }), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Patch, $"/api/photos/{photo}", Json(new { title = "bell\u0007" }), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Patch, $"/api/photos/{photo}", Json(new { tags = new[] { "no spaces allowed" } }), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Post, "/api/photos", Json(new { title = "no file" }), HttpStatusCode.UnsupportedMediaType),
            (alice, HttpMethod.Post, "/api/photos", FormWithout(), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Post, "/api/photos", Api.Form("just some text"u8.ToArray()), HttpStatusCode.UnsupportedMediaType),
            (alice, HttpMethod.Post, "/api/photos", Api.Form(jpeg[..(jpeg.Length / 2)]), HttpStatusCode.UnprocessableEntity),
            (alice, HttpMethod.Post, "/api/photos", Api.Form(TestImages.PngClaiming(50_000, 50_000)), HttpStatusCode.RequestEntityTooLarge),
            (alice, HttpMethod.Post, "/api/photos", Api.Form(jpeg, ("visibility", "friends")), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Post, "/api/photos", Api.Form(jpeg, ("tags", "ok,not ok")), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Post, "/api/search/similar", FormWithout(), HttpStatusCode.BadRequest),
            (alice, HttpMethod.Post, "/api/search/similar", Api.Form([0, 1, 2, 3]), HttpStatusCode.UnsupportedMediaType),
            (bob, HttpMethod.Post, $"/api/photos/{photo}/comments", Json(new { text = "" }), HttpStatusCode.BadRequest),
            (bob, HttpMethod.Post, $"/api/photos/{photo}/comments", Json(new { text = new string('c', 5000) }), HttpStatusCode.BadRequest),
            (bob, HttpMethod.Post, $"/api/photos/{photo}/comments", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Put, $"/api/users/{bob.Id}/follow", null, HttpStatusCode.BadRequest),
            (bob, HttpMethod.Put, "/api/users/765453658921545728/follow", null, HttpStatusCode.NotFound),
            (bob, HttpMethod.Post, $"/api/follow-requests/{alice.Id}/approve", null, HttpStatusCode.NotFound),
            (bob, HttpMethod.Get, "/api/no-such-route", null, HttpStatusCode.NotFound),
        };

        foreach (var (caller, method, path, body, expected) in cases)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body };
            using var response = await caller.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)expected, (int)JsonNode.Parse(text)!["status"]!);
        }

        // Hostile text is data: stored and returned verbatim.
        var hostile = await alice.UploadAsync(jpeg, HostileTitle);
        Assert.Equal(HostileTitle, (string)(await bob.GetJsonAsync($"/api/photos/{(string)hostile["id"]!}"))["title"]!);

        // Nothing changed: alice has her two photos, untouched, and bob has none.
        Assert.Equal([(string)hostile["id"]!, photo], await alice.IdsAsync($"/api/users/{alice.Id}/photos"));
        Assert.Equal("Untouched", (string)(await alice.GetJsonAsync($"/api/photos/{photo}"))["title"]!);
        Assert.Empty(await bob.IdsAsync($"/api/users/{bob.Id}/photos"));
        Assert.Empty(await alice.IdsAsync($"/api/photos/{photo}/comments"));
        Assert.Empty(await alice.IdsAsync("/api/trash"));
    }

    [Fact]
    public async Task Accounts_and_tokens_reject_bad_credentials()
    {
        var alice = await host.SignUpAsync("signin");
        var anonymous = host.CreateClient();
        var cases = new (string Path, object? Body, HttpStatusCode Expected)[]
        {
            ("/api/users", new { username = "a b", password = "long enough pass", displayName = "A" }, HttpStatusCode.BadRequest),
            ("/api/users", new { username = "shorty", password = "short", displayName = "A" }, HttpStatusCode.BadRequest),
            ("/api/users", new { username = "noname", password = "long enough pass", displayName = "" }, HttpStatusCode.BadRequest),
            ("/api/users", new { username = "huge_pw", password = new string('p', 10_000), displayName = "A" }, HttpStatusCode.BadRequest),
            ("/api/users", null, HttpStatusCode.BadRequest),
            ("/api/users", new { username = alice.Username, password = "long enough pass", displayName = "Again" }, HttpStatusCode.Conflict),
            ("/api/auth/token", new { username = alice.Username, password = "wrong password" }, HttpStatusCode.Unauthorized),
            ("/api/auth/token", new { username = "nobody_here", password = "correct horse battery" }, HttpStatusCode.Unauthorized),
            ("/api/auth/token", new { username = new string('u', 5000), password = "x" }, HttpStatusCode.Unauthorized),
            ("/api/auth/token", new { username = alice.Username }, HttpStatusCode.Unauthorized),
        };
        foreach (var (path, body, expected) in cases)
        {
            using var response = body is null
                ? await anonymous.PostAsync(path, new StringContent("", Encoding.UTF8, "application/json"))
                : await anonymous.PostAsJsonAsync(path, body);
            Assert.True(expected == response.StatusCode, $"{path} {System.Text.Json.JsonSerializer.Serialize(body)}: got {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var token = alice.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        using var otherHost = new SampleHostFactory();
        var parts = token.Split('.');
        var unsigned = $"{Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{parts[1]}.";
        var forgedSubject = $"{parts[0]}.{Base64Url($"{{\"sub\":\"{(await host.SignUpAsync("victim")).Id}\",\"iss\":\"imagesocial-sample\",\"aud\":\"imagesocial-sample\",\"exp\":4102444800}}")}.{parts[2]}";
        foreach (var (client, header) in new[]
        {
            (anonymous, (AuthenticationHeaderValue?)null),
            (anonymous, new AuthenticationHeaderValue("Bearer", "garbage")),
            (anonymous, new AuthenticationHeaderValue("Bearer", unsigned)),
            (anonymous, new AuthenticationHeaderValue("Bearer", forgedSubject)),
            (anonymous, new AuthenticationHeaderValue("Basic", "YWxpY2U6cGFzcw==")),
            (otherHost.CreateClient(), new AuthenticationHeaderValue("Bearer", token)), // another host's generated key
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/users/{alice.Id}/photos");
            request.Headers.Authorization = header;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, await alice.StatusAsync(HttpMethod.Get, $"/api/users/{alice.Id}/photos"));
    }

    [Fact]
    public async Task A_configured_signing_key_is_shared_by_hosts_and_a_weak_one_stops_start_up()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var first = new SampleHostFactory { Settings = { ["Auth:SigningKey"] = key } };
        using var second = new SampleHostFactory { Settings = { ["Auth:SigningKey"] = key } };
        using var unshared = new SampleHostFactory();
        var user = await first.SignUpAsync("keyed");
        var token = user.Http.DefaultRequestHeaders.Authorization!.Parameter;
        // The second host accepts the first's signature (it would then look the account up in the store they share; these two have
        // separate stores); a host with another key does not.
        _ = second.CreateClient();
        _ = unshared.CreateClient();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        Assert.True((await handler.ValidateTokenAsync(token, second.Services.GetRequiredService<ImageSocial.SampleHost.Auth.TokenService>().Validation)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(token, unshared.Services.GetRequiredService<ImageSocial.SampleHost.Auth.TokenService>().Validation)).IsValid);

        using var weak = new SampleHostFactory { Settings = { ["Auth:SigningKey"] = Convert.ToBase64String(new byte[16]) } };
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => weak.CreateClient().GetAsync("/api/feed").GetAwaiter().GetResult());
    }

    [Fact]
    public void An_unknown_provider_name_stops_start_up()
    {
        using var misconfigured = new SampleHostFactory { Settings = { ["ImageSocial:Providers:Metadata"] = "oracle" } };
        var error = Assert.Throws<InvalidOperationException>(() => misconfigured.CreateClient());
        Assert.Contains("sqlite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_over_the_limit_are_refused_before_decoding()
    {
        using var small = new SampleHostFactory();
        small.Settings["ImageSocial:MaxUploadBytes"] = "20000";
        small.Settings["ImageSocial:Video:MaxBytes"] = "1000000"; // the 3 MiB body below is over both limits
        var user = await small.SignUpAsync("limited");
        var big = TestImages.Encode(400, 400, "png", (x, y) => ((byte)(x * y), (byte)(x ^ y), (byte)(x + y)));
        Assert.True(big.Length > 20_000);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await user.StatusAsync(HttpMethod.Post, "/api/photos", Api.Form(big)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await user.StatusAsync(HttpMethod.Post, "/api/photos", Api.Form(new byte[3 << 20])));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await user.StatusAsync(HttpMethod.Post, "/api/search/similar", Api.Form(big)));
        Assert.Equal(HttpStatusCode.Created, await user.StatusAsync(HttpMethod.Post, "/api/photos", Api.Form(Api.Image(3))));
        Assert.Single(await user.IdsAsync($"/api/users/{user.Id}/photos"));
    }

    [Fact]
    public async Task Rate_limits_answer_429_with_retry_after()
    {
        using var limited = new SampleHostFactory();
        limited.Settings["RateLimits:AuthPerMinute"] = "4";
        limited.Settings["RateLimits:UploadsPerMinute"] = "2";
        var user = await limited.SignUpAsync("busy"); // two auth requests: sign-up and token
        var anonymous = limited.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = user.Username, password = "correct horse battery" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Created, await user.StatusAsync(HttpMethod.Post, "/api/photos", Api.Form(Api.Image(4))));
        Assert.Equal(HttpStatusCode.Created, await user.StatusAsync(HttpMethod.Post, "/api/photos", Api.Form(Api.Image(5))));
        Assert.Equal(HttpStatusCode.TooManyRequests, await user.StatusAsync(HttpMethod.Post, "/api/photos", Api.Form(Api.Image(6))));
        Assert.Equal(HttpStatusCode.OK, await user.StatusAsync(HttpMethod.Get, $"/api/users/{user.Id}/photos")); // Reads are not limited.
        Assert.Equal(2, (await user.IdsAsync($"/api/users/{user.Id}/photos")).Count);
    }

    private static JsonContent Json(object value) => JsonContent.Create(value);

    private static MultipartFormDataContent FormWithout() => new() { { new StringContent("t"), "title" } };

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
