using System.Diagnostics;
using System.Text.Json;
using ImageSocial.ConformanceTests;

namespace ImageSocial.Embeddings.Tests;

/// <summary>Models written by make_models.py (python3-onnx), with outputs it computed in numpy.</summary>
public sealed class TestModels : IDisposable
{
    public TestModels()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "make_models.py"), Folder.Path])
        {
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, "make_models.py failed (./build.sh provisions python3-onnx): " + error);
    }

    public TemporaryDirectory Folder { get; } = new();

    public string Model(string name) => Folder.File(name + ".onnx");

    public (float[] Input, long[] Shape, float[] Output, long[] OutputShape) Expected(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Folder.File(name + ".json")));
        float[] Floats(string key) => json.RootElement.GetProperty(key).EnumerateArray().Select(e => e.GetSingle()).ToArray();
        long[] Longs(string key) => json.RootElement.GetProperty(key).EnumerateArray().Select(e => e.GetInt64()).ToArray();
        return (Floats("input"), Longs("shape"), Floats("output"), Longs("outputShape"));
    }

    public void Dispose() => Folder.Dispose();
}
