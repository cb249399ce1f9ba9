using ImageSocial.SampleHost;

var app = SampleHost.Build(args);
await app.RunAsync();

/// <summary>The entry point; public so that in-process tests can host it.</summary>
public partial class Program;
