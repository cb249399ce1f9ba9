using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageSocial.Embeddings.Tests;

/// <summary>The ONNX engine's options as a host binds them from configuration.</summary>
public sealed class OnnxOptionsTests(TestModels models) : IClassFixture<TestModels>
{
    [Fact]
    public void A_configured_mean_and_std_replace_the_defaults_instead_of_following_them()
    {
        var options = Bind(new()
        {
            ["Model:Mean:0"] = "0.5", ["Model:Mean:1"] = "0.25", ["Model:Mean:2"] = "0.125",
            ["Model:Std:0"] = "0.2", ["Model:Std:1"] = "0.3", ["Model:Std:2"] = "0.4",
        }).Value;
        Assert.Equal([0.5f, 0.25f, 0.125f], options.Model!.Mean);
        Assert.Equal([0.2f, 0.3f, 0.4f], options.Model.Std);
    }

    [Theory]
    [InlineData("Model:Mean:3", "0.1")]   // four values
    [InlineData("Model:Std:1", "0")]      // a zero deviation
    [InlineData("Model:Mean:1", "lots")]  // not a number
    public void A_mean_or_std_that_is_not_three_usable_numbers_stops_start_up(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Model:Mean:0"] = "0.5", ["Model:Mean:1"] = "0.5", ["Model:Mean:2"] = "0.5",
            ["Model:Std:0"] = "0.2", ["Model:Std:1"] = "0.2", ["Model:Std:2"] = "0.2",
        };
        settings[key] = value;
        var error = Assert.Throws<OptionsValidationException>(() => Bind(settings).Value);
        Assert.Contains("exactly three numbers", error.Message, StringComparison.Ordinal);
    }

    private IOptions<OnnxEmbeddingOptions> Bind(Dictionary<string, string?> settings)
    {
        settings["ModelPath"] = models.Model("conv");
        settings["Model:Id"] = "test-conv-v1";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        new Builder(services).AddOnnxEmbeddings(configuration);
        return services.BuildServiceProvider().GetRequiredService<IOptions<OnnxEmbeddingOptions>>();
    }

    private sealed record Builder(IServiceCollection Services) : IImageSocialBuilder;
}
