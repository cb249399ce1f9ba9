using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Vectors.Milvus;

/// <summary>Posts requests to Milvus's REST API v2 and unwraps its answers: <c>data</c> when the code is 0, a
/// <see cref="MilvusVectorIndexException"/> otherwise; the caller's cancellation stays a cancellation.</summary>
internal sealed class MilvusRestClient : IDisposable
{
    internal const string ProviderName = "milvus";
    private static readonly ActivitySource Source = new("ImageSocial.Vectors.Milvus", Tracing.VersionOf(typeof(MilvusRestClient)));
    private readonly HttpClient http;

    internal MilvusRestClient(MilvusVectorIndexOptions options)
    {
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(options.Endpoint.TrimEnd('/') + "/v2/vectordb/"),
            Timeout = options.Timeout,
        };
        if (!string.IsNullOrEmpty(options.Token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }
    }

    /// <summary>Posts <paramref name="request"/> to <paramref name="path"/> (e.g. <c>entities/search</c>) and returns the answer's data.</summary>
    internal async Task<JsonElement> PostAsync<TRequest>(string path, TRequest request, JsonTypeInfo<TRequest> type, string collection, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity(path, ActivityKind.Client);
        activity?.SetTag("db.system.name", ProviderName);
        activity?.SetTag("db.collection.name", collection);
        try
        {
            using var response = await http.PostAsJsonAsync(path, request, type, cancellationToken).ConfigureAwait(false);
            var body = response.Content.Headers.ContentType?.MediaType == "application/json"
                ? await response.Content.ReadFromJsonAsync(MilvusJson.Default.MilvusResponse, cancellationToken).ConfigureAwait(false)
                : null;
            if (!response.IsSuccessStatusCode || body is null || body.Code != 0)
            {
                var error = new MilvusVectorIndexException(
                    $"Milvus {path} on '{collection}' failed: HTTP {(int)response.StatusCode}, code {body?.Code}: {body?.Message ?? response.ReasonPhrase}",
                    body?.Code ?? 0, response.StatusCode) { ProviderName = ProviderName, OperationName = path };
                activity.Fail(error);
                throw error;
            }

            return body.Data;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var error = new MilvusVectorIndexException($"Milvus {path} on '{collection}' failed: {ex.Message}", ex) { ProviderName = ProviderName, OperationName = path };
            activity.Fail(error);
            throw error;
        }
    }

    public void Dispose() => http.Dispose();
}
