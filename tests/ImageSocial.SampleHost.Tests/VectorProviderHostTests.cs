using System.Net;
using System.Text.Json.Nodes;
using ImageSocial.ConformanceTests;

namespace ImageSocial.SampleHost.Tests;

/// <summary>ImageSocial:Providers:Vectors selects Qdrant or Milvus in the sample host, bound from ImageSocial:Qdrant / ImageSocial:Milvus,
/// and the provider's health check reports the server (here a loopback port nobody listens on) in place of the embedded index's.</summary>
public sealed class VectorProviderHostTests
{
    [Theory]
    [InlineData("qdrant", "Qdrant", "imagesocial-qdrant")]
    [InlineData("milvus", "Milvus", "imagesocial-milvus")]
    public async Task The_configured_vector_server_is_used_and_its_health_reported(string provider, string section, string check)
    {
        using var host = new SampleHostFactory();
        host.Settings["ImageSocial:Providers:Vectors"] = provider;
        host.Settings[$"ImageSocial:{section}:Endpoint"] = $"http://127.0.0.1:{LoopbackPorts.Closed()}";
        host.Settings[$"ImageSocial:{section}:Timeout"] = "00:00:05";
        using var response = await host.CreateClient().GetAsync("/health");
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", (string)health["checks"]![check]!["status"]!);
        Assert.Null(health["checks"]!["imagesocial-embedded-vectors"]);
        Assert.Equal("Healthy", (string)health["checks"]!["imagesocial-sqlite"]!["status"]!);
    }

    [Fact]
    public void An_unknown_vector_provider_stops_start_up_listing_the_known_ones()
    {
        using var host = new SampleHostFactory();
        host.Settings["ImageSocial:Providers:Vectors"] = "faiss";
        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("embedded, qdrant, milvus", error.ToString(), StringComparison.Ordinal);
    }
}
