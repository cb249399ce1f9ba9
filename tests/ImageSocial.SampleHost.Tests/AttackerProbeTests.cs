using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ImageSocial.SampleHost.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>What probing the host as an attacker found: malformed bodies, headers on errors, undecodable text, tokens of accounts that do
/// not exist, guessing one account's password, and the wrong content type on the anonymous routes.</summary>
public sealed class AttackerProbeTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    private const string Part = "Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";

    public static TheoryData<string, string> Malformed => new()
    {
        { "truncated", "--b\r\n" + Part + "\xFF\xD8\xFF\xE0 half a jpeg" },
        { "no final boundary", "--b\r\n" + Part + "abc\r\n--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n" },
        { "wrong boundary", "--other\r\n" + Part + "abc\r\n--other--\r\n" },
        { "garbage", "\u0001\u0002 not multipart at all \r\n\r\n--" },
        { "header without end", "--b\r\nContent-Disposition: form-data; name=\"file\"" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_multipart_body_is_a_400_and_stores_nothing(string name, string body)
    {
        var user = await host.SignUpAsync("mal_" + name.Replace(' ', '_'));
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        using var response = await user.Http.PostAsync("/api/photos", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await user.IdsAsync($"/api/users/{user.Id}/photos"));
    }

    [Fact]
    public async Task Error_responses_keep_nosniff()
    {
        var user = await host.SignUpAsync("nosniff");
        using var missing = await user.Http.GetAsync("/api/photos/123");
        using var bad = await user.Http.PostAsync("/api/photos", Api.Form([1, 2, 3]));
        using var anonymous = await host.CreateClient().GetAsync("/api/users/me");

        foreach (var response in new[] { missing, bad, anonymous })
        {
            Assert.True(response.StatusCode >= HttpStatusCode.BadRequest);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task Invalid_utf8_in_a_multipart_title_is_refused_as_the_json_routes_refuse_it()
    {
        var user = await host.SignUpAsync("utf8");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Api.Image(1));
        file.Headers.ContentType = MediaTypeHeaderValue.Parse("image/jpeg");
        form.Add(file, "file", "a.jpg");
        form.Add(new ByteArrayContent([(byte)'o', (byte)'k', 0xC3, 0x28, 0xFF]), "title");

        using var response = await user.Http.PostAsync("/api/photos", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await user.IdsAsync($"/api/users/{user.Id}/photos"));
    }

    [Fact]
    public async Task A_signed_token_of_an_account_that_does_not_exist_does_not_authenticate()
    {
        var tokens = host.Services.GetRequiredService<TokenService>();
        var (token, _) = tokens.Issue(new User(new UserId(ImageSocial.ConformanceTests.MetadataStores.NewId()), "ghost", "Ghost", false));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/feed")).StatusCode);
    }

    [Fact]
    public async Task Guessing_one_accounts_password_is_limited_per_account_whatever_the_address()
    {
        await host.SignUpAsync("guessed");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var client = host.CreateClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.0.0.{i}");
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "guessed", password = "wrong-" + i });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task A_client_that_went_away_is_not_logged_as_a_server_error()
    {
        var logs = new ErrorLog();
        var handler = new ImageSocial.SampleHost.Api.ProblemExceptionHandler(host.Services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            logs.CreateLogger<ImageSocial.SampleHost.Api.ProblemExceptionHandler>());
        using var aborted = new CancellationTokenSource();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = host.Services, RequestAborted = aborted.Token };
        context.Request.Method = "POST";
        context.Request.Path = "/api/photos";
        await aborted.CancelAsync();

        Assert.True(await handler.TryHandleAsync(context, new IOException("The client reset the request stream."), CancellationToken.None));
        Assert.Equal(0, logs.Errors);

        // The same failure while the client is still there is the server's and is logged.
        var live = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = host.Services };
        live.Response.Body = new MemoryStream();
        await handler.TryHandleAsync(live, new InvalidOperationException("a bug"), CancellationToken.None);
        Assert.Equal(1, logs.Errors);
    }

    /// <summary>Counts error entries.</summary>
    private sealed class ErrorLog : Microsoft.Extensions.Logging.ILoggerProvider
    {
        private int errors;

        public int Errors => errors;

        public Microsoft.Extensions.Logging.ILogger<T> CreateLogger<T>() => new Microsoft.Extensions.Logging.Logger<T>(new Microsoft.Extensions.Logging.LoggerFactory([this]));

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Counter(this);

        public void Dispose()
        {
        }

        private sealed class Counter(ErrorLog log) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Error)
                {
                    Interlocked.Increment(ref log.errors);
                }
            }
        }
    }

    [Theory]
    [InlineData("/api/users")]
    [InlineData("/api/auth/token")]
    public async Task A_non_json_body_on_the_anonymous_routes_is_a_415(string route)
    {
        using var client = host.CreateClient();
        using var response = await client.PostAsync(route, new StringContent("username=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
