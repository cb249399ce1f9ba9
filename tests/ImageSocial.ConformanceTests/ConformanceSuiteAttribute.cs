namespace ImageSocial.ConformanceTests;

/// <summary>Names the contract an abstract suite checks, so the completeness test can tell which suites a provider owes.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ConformanceSuiteAttribute(Type contract) : Attribute
{
    /// <summary>The contract interface.</summary>
    public Type Contract { get; } = contract;
}

/// <summary>Fails when a provider implements a contract but its test assembly runs no concrete subclass of that contract's suite,
/// unless the suite is listed in <see cref="IgnoredSuites"/> with a reason.</summary>
public abstract class TestSuiteImplementationTests
{
    /// <summary>The provider types under test.</summary>
    protected abstract IEnumerable<Type> ProviderTypes { get; }

    /// <summary>Suites this provider skips on purpose, each with the reason.</summary>
    protected virtual IReadOnlyDictionary<Type, string> IgnoredSuites => new Dictionary<Type, string>();

    [Fact]
    public void All_suites_for_implemented_contracts_are_run()
    {
        var suites = typeof(ConformanceSuiteAttribute).Assembly.GetTypes()
            .Select(t => (Suite: t, Attribute: (ConformanceSuiteAttribute?)Attribute.GetCustomAttribute(t, typeof(ConformanceSuiteAttribute))))
            .Where(x => x.Attribute is not null).ToList();
        var tests = GetType().Assembly.GetTypes().Where(t => !t.IsAbstract).ToList();
        var missing = new List<string>();
        foreach (var provider in ProviderTypes)
        {
            foreach (var (suite, attribute) in suites.Where(s => s.Attribute!.Contract.IsAssignableFrom(provider)))
            {
                if (!IgnoredSuites.ContainsKey(suite) && !tests.Any(t => IsSubclassOfGeneric(t, suite)))
                {
                    missing.Add($"{provider.Name} implements {attribute!.Contract.Name} but no test class derives from {suite.Name}");
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        Assert.All(IgnoredSuites.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    private static bool IsSubclassOfGeneric(Type type, Type suite)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t == suite || (t.IsGenericType && t.GetGenericTypeDefinition() == suite))
            {
                return true;
            }
        }

        return false;
    }
}
