using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ImageSocial.ConformanceTests;

/// <summary>Marks a suite's concrete class as needing a server that cannot run on every machine (Qdrant, Milvus): its tests run when
/// <see cref="Variable"/> names the server, and are reported skipped with <see cref="Reason"/> otherwise.</summary>
/// <param name="variable">The environment variable that names the server.</param>
/// <param name="reason">What the skip says, e.g. how to start such a server.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresServerAttribute(string variable, string reason) : Attribute
{
    /// <summary>The environment variable that names the server.</summary>
    public string Variable { get; } = variable;

    /// <summary>Why the tests are skipped without it.</summary>
    public string Reason { get; } = reason;

    /// <summary>The variable's value, or <see langword="null"/> when unset or empty.</summary>
    public string? Value => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
}

/// <summary>A kit test: a fact that is skipped, with the reason, when its concrete class carries a <see cref="RequiresServerAttribute"/>
/// whose variable is unset.</summary>
[XunitTestCaseDiscoverer("ImageSocial.ConformanceTests.KitFactDiscoverer", "ImageSocial.ConformanceTests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class KitFactAttribute : FactAttribute
{
}

/// <summary>Discovers <see cref="KitFactAttribute"/> tests, reading the concrete test class's <see cref="RequiresServerAttribute"/>.</summary>
public sealed class KitFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var requires = testMethod.TestClass.Class.ToRuntimeType()?.GetCustomAttribute<RequiresServerAttribute>();
        if (requires is { Value: null })
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, $"{requires.Variable} is not set: {requires.Reason}")];
        }

        return [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)];
    }
}
