using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageSocial.ConformanceTests;
using ImageSocial.Testing.Servers;
using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The web front end in headless Chromium against the real host (Kestrel on a loopback port, jobs running in the background):
/// sign-up, follow, upload, feed, like, comment, similar posts, a followers-only post hidden from a stranger, a private account's
/// request and approval, trash and restore, keyboard use, labels and alt texts, a phone's width, and the API's errors shown as sent.
/// Screenshots go to IMAGESOCIAL_SCREENSHOTS when set (the README's come from there), else to a temporary folder.</summary>
public sealed class WebFrontEndTests : IAsyncLifetime
{
    private readonly string data = Directory.CreateTempSubdirectory("imagesocial-web-").FullName;
    private readonly List<Browser> browsers = [];
    private readonly string shots;
    private WebApplication? host;
    private string site = "";

    public WebFrontEndTests()
    {
        shots = Environment.GetEnvironmentVariable("IMAGESOCIAL_SCREENSHOTS") is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(data, "screenshots");
        Directory.CreateDirectory(shots);
    }

    public async Task InitializeAsync()
    {
        site = $"http://127.0.0.1:{FreePort()}";
        host = SampleHost.Build([$"--urls={site}", $"--IMAGESOCIAL_DATA={Path.Combine(data, "data")}", "--RateLimits:AuthPerMinute=100000", "--Auth:Admins:0=moss", "--Logging:LogLevel:Default=Warning"]);
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        browsers.ForEach(b => b.Dispose());
        if (host is not null)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Two_people_follow_upload_see_like_comment_and_a_stranger_sees_only_what_is_public()
    {
        var images = Path.Combine(data, "images");
        Directory.CreateDirectory(images);
        string Picture(string name, int hue)
        {
            var path = Path.Combine(images, name + ".jpg");
            File.WriteAllBytes(path, Scene(hue));
            return path;
        }

        var alice = Open();
        SignUp(alice, "alice", "Alice Martin");
        alice.Screenshot(shots, "01-home-empty");

        var bob = Open();
        SignUp(bob, "bob", "Bob Okafor");
        FollowByHandle(bob, "alice");
        Assert.Equal("Following", bob.Button("Following").Text);

        // Alice uploads three posts: one for followers only, two public.
        var harbour = Upload(alice, Picture("harbour", 20), "Harbour at dusk", "sea, dusk", "Followers only", shot: "02-upload");
        var pierId = Upload(alice, Picture("pier", 24), "Pier in the evening", "sea", "Public: everyone");
        var field = Upload(alice, Picture("field", 130), "Green field", "land", "Public: everyone");

        // Bob's feed shows the followers-only post; he likes and comments on it, and similar posts appear once embedded.
        bob.Go("/");
        bob.Until(() => bob.Cards("Your feed").Contains("Harbour at dusk"), "Alice's post in Bob's feed");
        bob.Screenshot(shots, "03-feed");
        bob.Go($"/post/{harbour}");
        Assert.Equal("Harbour at dusk", bob.Heading);
        Assert.DoesNotContain("null", bob.Web.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        bob.Click("Like");
        bob.Until(() => bob.Button("Liked").GetAttribute("aria-pressed") == "true", "the like to register");
        bob.Fill("Add a comment", "Lovely light on the water");
        bob.Click("Comment");
        bob.Until(() => bob.Web.FindElements(By.CssSelector("ol.comments li")).Any(c => c.Text.Contains("Lovely light on the water", StringComparison.Ordinal)), "the comment");
        bob.Until(() =>
        {
            bob.Reload();
            bob.Until(() => bob.Script<bool>("return !!document.querySelector(\"ul[aria-label='Similar posts'] li img, main section p.empty\")"), "the similar section");
            return bob.Cards("Similar posts").Count >= 2;
        }, "similar posts (after the background embedding)");
        Assert.Contains("1", bob.Web.FindElement(By.CssSelector(".actions .count")).Text, StringComparison.Ordinal);
        Assert.Contains("Pier in the evening", bob.Cards("Similar posts"));
        bob.Screenshot(shots, "04-post");

        // A video: uploaded through the same form, played on its page once transcoded (the poster and the MP4 come through the token).
        var clip = Upload(alice, Clips.BlackThenPattern, "Boats in the harbour", "sea, video", "Public: everyone");
        bob.Go($"/post/{clip}");
        bob.Until(() =>
        {
            bob.Reload();
            return bob.Until(() => bob.Web.FindElements(By.CssSelector("main figure")).Count, "the post's media") == 1
                && bob.Web.FindElements(By.CssSelector("main video")).Count == 1;
        }, "the video player (after the background transcode)");
        bob.Until(() => bob.Script<long>("const v = document.querySelector('main video'); return v.src.startsWith('blob:') && v.readyState >= 1 && v.duration > 5 ? 1 : 0") == 1,
            "the video's metadata to load in the player");
        bob.Screenshot(shots, "05-video");

        // Alice sees Bob's like and comment on her post.
        alice.Go($"/post/{harbour}");
        alice.Until(() => alice.Web.FindElement(By.CssSelector(".actions .count")).Text == "1", "the like count");
        alice.Until(() => alice.Web.FindElement(By.CssSelector("ol.comments")).Text.Contains("Bob Okafor", StringComparison.Ordinal), "Bob's comment");
        alice.Web.FindElement(By.CssSelector("ol.comments li details summary")).Click();
        alice.Fill("Why report this comment?", "Not what I meant by light");
        alice.Click("Send report");
        alice.Until(() => alice.Web.FindElement(By.CssSelector("ol.comments")).Text.Contains("a moderator will look at it", StringComparison.Ordinal), "the comment report's receipt");

        // Carol, a stranger, sees Alice's public posts only: not in the profile, not in search, not by its address.
        var carol = Open();
        SignUp(carol, "carol", "Carol Ruiz", isPrivate: true);
        FollowByHandle(carol, "alice", follow: false);
        carol.Until(() => carol.Cards("Posts by Alice Martin").Count == 3, "Alice's public posts");
        Assert.DoesNotContain("Harbour at dusk", carol.Cards("Posts by Alice Martin"));
        carol.Screenshot(shots, "06-stranger-profile");
        carol.Go("/search?tag=sea");
        carol.Until(() => carol.Cards("Search results").Contains("Pier in the evening"), "the public #sea post");
        Assert.DoesNotContain("Harbour at dusk", carol.Cards("Search results"));
        carol.Go($"/post/{harbour}");
        carol.Until(() => carol.Error.Length > 0, "the error");
        var problem = await ProblemAsync($"/api/photos/{harbour}", "carol");
        Assert.Contains((string)problem["title"]!, carol.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Harbour", carol.Web.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);

        // Carol reports a public post; a moderator (an admin by the host's Auth:Admins) hides it from the queue; Carol no longer sees it.
        carol.Go($"/post/{pierId}");
        carol.Until(() => carol.Web.FindElements(By.XPath("//summary[normalize-space()='Report this post']")).FirstOrDefault(), "the report control").Click();
        carol.Fill("Why should a moderator look at it?", "Looks like spam to me");
        carol.Click("Send report");
        carol.Until(() => carol.Web.FindElement(By.TagName("main")).Text.Contains("a moderator will look at it", StringComparison.Ordinal), "the report's receipt");
        bob.Go("/moderation");
        bob.Until(() => bob.Web.FindElement(By.TagName("main")).Text.Contains("Only moderators and admins", StringComparison.Ordinal), "the queue refused to a member");
        var moss = Open();
        SignUp(moss, "moss", "Moss the Moderator");
        moss.Go("/moderation");
        moss.Until(() => moss.Web.FindElement(By.TagName("main")).Text.Contains("Looks like spam to me", StringComparison.Ordinal), "the report in the queue");
        moss.Screenshot(shots, "07-moderation-queue");
        moss.Click("Hide post");
        moss.Until(() => moss.Web.FindElement(By.TagName("main")).Text.Contains($"Hidden: photo {pierId}", StringComparison.Ordinal), "the post hidden");
        moss.Click("Hide comment");
        moss.Until(() => moss.Web.FindElement(By.TagName("main")).Text.Contains("Hidden: comment", StringComparison.Ordinal), "the comment hidden");
        alice.Go($"/post/{harbour}");
        alice.Until(() => alice.Web.FindElements(By.CssSelector("ol.comments[aria-busy='false']")).Count == 1, "the comments");
        Assert.Empty(alice.Web.FindElements(By.CssSelector("ol.comments li")));
        bob.Go($"/post/{harbour}");
        bob.Until(() => bob.Web.FindElements(By.CssSelector("ol.comments[aria-busy='false']")).Count == 1, "the comments");
        Assert.Contains("(hidden: Not what I meant by light)", bob.Web.FindElement(By.CssSelector("ol.comments")).Text, StringComparison.Ordinal);
        carol.Go("/search?tag=sea");
        carol.Until(() => carol.Cards("Search results").Contains("Boats in the harbour"), "the search results");
        Assert.DoesNotContain("Pier in the evening", carol.Cards("Search results"));

        // Carol's account is private: Bob's follow is a request until she approves it.
        FollowByHandle(bob, "carol", follow: false);
        Assert.True(bob.Web.FindElement(By.Id("private-notice")).Displayed);
        bob.Click("Follow");
        bob.Until(() => bob.Button("Requested").GetAttribute("data-state") == "pending", "the pending request");
        bob.Screenshot(shots, "08-requested");
        carol.Go("/requests");
        carol.Click("Approve");
        carol.Until(() => carol.Web.FindElement(By.TagName("main")).Text.Contains("Bob Okafor: approved", StringComparison.Ordinal), "the approval");
        bob.Reload();
        bob.Until(() => bob.Button("Following").GetAttribute("data-state") == "following", "Bob following Carol");

        // Trash: Alice deletes a post and restores it.
        alice.Go($"/post/{field}");
        alice.Click("Move to trash");
        alice.Until(() => alice.Heading == "Trash" && alice.Cards("Deleted posts").Contains("Green field"), "the post in the trash");
        alice.Click("Restore");
        alice.Until(() => !alice.Cards("Deleted posts").Contains("Green field"), "the restore");
        alice.Go($"/user/{UserIdOf(alice)}");
        alice.Until(() => alice.Cards("Posts by Alice Martin").Contains("Green field"), "the restored post on the profile");

        // Infinite scroll: with more posts than a page (12), scrolling to the end loads the next page.
        using (var http = await SignedInAsync("alice"))
        {
            for (var i = 0; i < 12; i++)
            {
                using var form = Api.Form(Scene(60 + i * 9, 160, 120), ("title", $"Walk {i + 1}"), ("tags", "walk"));
                using var created = await http.PostAsync("/api/photos", form);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
        }

        // Every page names its controls and images; the home feed fits a phone's width.
        foreach (var route in new[] { "/", "/upload", "/search?tag=sea", $"/post/{harbour}", "/requests", "/trash", "/moderation", $"/user/{UserIdOf(alice)}" })
        {
            bob.Go(route);
            bob.Until(() => bob.Web.FindElements(By.CssSelector("main h1")).Count == 1 && bob.Script<bool>("return !document.querySelector('main').hasAttribute('aria-busy')"), route);
            Assert.Equal(0L, bob.Script<long>("return [...document.querySelectorAll('main input, main select, main textarea')].filter(e => !(e.id && document.querySelector(`label[for='${e.id}']`)) && !e.getAttribute('aria-label')).length"));
            Assert.Equal(0L, bob.Script<long>("return [...document.querySelectorAll('main img')].filter(i => !i.getAttribute('alt')).length"));
        }

        // At a phone's width the first page (12 posts, two columns) is taller than the screen: the next loads only on scrolling.
        bob.Resize(390, 844);
        bob.Go("/");
        bob.Until(() => bob.Cards("Your feed").Count == 12, "the first page of the feed");
        Assert.True(bob.Script<bool>("return document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        Thread.Sleep(500);
        Assert.Equal(12, bob.Cards("Your feed").Count);
        bob.Until(() =>
        {
            bob.Script<object>("window.scrollTo(0, document.body.scrollHeight); return null;");
            return bob.Cards("Your feed").Count == 15; // 16 posts by Alice, less the hidden one
        }, "the next page on scrolling");
        Assert.Contains("Harbour at dusk", bob.Cards("Your feed"));
        bob.Screenshot(shots, "09-phone-feed");

        // The keyboard alone signs in; a wrong password shows the API's own problem text.
        var dana = Open();
        dana.Go("/signin");
        Assert.Equal("Sign in", dana.Heading);
        TypeWithKeyboard(dana, "alice", "wrong password!");
        dana.Until(() => dana.Error.Length > 0, "the sign-in error");
        var refused = await ProblemAsync("/api/auth/token", null, new { username = "alice", password = "wrong password!" });
        Assert.Contains((string)(refused["detail"] ?? refused["title"])!, dana.Error, StringComparison.Ordinal);
        dana.Screenshot(shots, "10-sign-in-error");
        TypeWithKeyboard(dana, "alice", "correct horse battery");
        dana.Until(() => dana.Heading == "Home", "the home feed after signing in");
        Assert.All(Directory.GetFiles(shots, "*.png"), f => Assert.True(new FileInfo(f).Length > 2000, f));
    }

    private Browser Open()
    {
        var browser = new Browser(site);
        browsers.Add(browser);
        return browser;
    }

    private static void SignUp(Browser browser, string username, string name, bool isPrivate = false)
    {
        browser.Go("/signup");
        browser.Fill("Username", username);
        browser.Fill("Display name", name);
        browser.Fill("Password", "correct horse battery");
        if (isPrivate)
        {
            browser.Labelled("Private account: I approve my followers").Click();
        }

        browser.Click("Create account");
        browser.Until(() => browser.Heading == "Home", $"{username}'s home feed");
    }

    private static void FollowByHandle(Browser browser, string handle, bool follow = true)
    {
        browser.Go("/search");
        browser.Fill("Username", handle);
        browser.Click("Find");
        browser.Until(() => browser.Url.Contains("#/user/", StringComparison.Ordinal) && browser.Web.FindElements(By.CssSelector("button.follow")).Count == 1, $"{handle}'s profile");
        if (follow)
        {
            browser.Click("Follow");
            browser.Until(() => browser.Web.FindElement(By.CssSelector("button.follow")).GetAttribute("data-state") == "following", $"following {handle}");
        }
    }

    /// <summary>Uploads through the form (file, preview, title, tags, visibility, progress) and returns the new post's id.</summary>
    private string Upload(Browser browser, string file, string title, string tags, string visibility, string? shot = null)
    {
        browser.Go("/upload");
        browser.Labelled("Photo or video").SendKeys(file);
        browser.Until(() => browser.Web.FindElements(By.CssSelector(".preview img, .preview video")).Count == 1, "the preview");
        browser.Fill("Title", title);
        browser.Fill("Tags", tags);
        browser.Labelled("Who can see it").FindElement(By.XPath($"option[normalize-space()='{visibility}']")).Click();
        if (shot is not null)
        {
            browser.Screenshot(shots, shot);
        }

        browser.Click("Upload");
        browser.Until(() => browser.Url.Contains("#/post/", StringComparison.Ordinal) && browser.Heading == title, $"the page of '{title}'");
        return browser.Url[(browser.Url.LastIndexOf('/') + 1)..];
    }

    /// <summary>Tabs from the page's heading to the username field, types both fields and presses Enter: no mouse.</summary>
    private static void TypeWithKeyboard(Browser browser, string username, string password)
    {
        browser.Web.FindElement(By.CssSelector("main h1")).Click();
        var actions = new OpenQA.Selenium.Interactions.Actions(browser.Web);
        for (var i = 0; i < 10 && browser.Web.SwitchTo().ActiveElement().GetAttribute("name") != "username"; i++)
        {
            actions.SendKeys(Keys.Tab).Perform();
        }

        Assert.Equal("username", browser.Web.SwitchTo().ActiveElement().GetAttribute("name"));
        actions.KeyDown(Keys.Control).SendKeys("a").KeyUp(Keys.Control).SendKeys(username).SendKeys(Keys.Tab)
            .KeyDown(Keys.Control).SendKeys("a").KeyUp(Keys.Control).SendKeys(password).SendKeys(Keys.Enter).Perform();
    }

    private static string UserIdOf(Browser browser) => browser.Script<string>("return JSON.parse(localStorage.getItem('imagesocial.session')).userId");

    /// <summary>An API client signed in as <paramref name="user"/> (or anonymous).</summary>
    private async Task<HttpClient> SignedInAsync(string? user)
    {
        var http = new HttpClient { BaseAddress = new Uri(site) };
        if (user is not null)
        {
            using var token = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = "correct horse battery" });
            http.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        }

        return http;
    }

    /// <summary>The problem+json the API itself answers, to compare with what the page shows.</summary>
    private async Task<JsonObject> ProblemAsync(string path, string? asUser, object? body = null)
    {
        using var http = await SignedInAsync(asUser);
        using var response = body is null ? await http.GetAsync(path) : await http.PostAsJsonAsync(path, body);
        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A scene (640×480 unless told): a sky graded towards <paramref name="hue"/>, a sun, and ground; nearby hues look alike to the embedding.</summary>
    private static byte[] Scene(int hue, int width = 640, int height = 480) => TestImages.Encode(width, height, "jpeg", (x, y) =>
    {
        (x, y) = (x * 640 / width, y * 480 / height);
        var sun = (x - 420) * (x - 420) + (y - 170) * (y - 170) < 55 * 55;
        if (sun)
        {
            return (255, 236, 180);
        }

        if (y > 330)
        {
            return ((byte)(40 + hue / 4), (byte)(70 + (hue * 3 % 90)), (byte)(60 + y % 7));
        }

        var t = y / 330.0;
        return ((byte)(250 - 120 * t - hue / 2), (byte)(140 + hue / 3 - 60 * t), (byte)(90 + 150 * t));
    });

    private static int FreePort() => LoopbackPorts.Closed();
}
