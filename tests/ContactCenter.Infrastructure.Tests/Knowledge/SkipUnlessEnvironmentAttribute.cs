using Xunit.Abstractions;
using Xunit.Sdk;

namespace ContactCenter.Infrastructure.Tests.Knowledge;

/// <summary>On a test class: its <see cref="ConformanceFactAttribute"/> tests run only when the environment variable is set, and are reported as skipped (with the reason) otherwise.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SkipUnlessEnvironmentAttribute : Attribute
{
    public SkipUnlessEnvironmentAttribute(string variable) => Variable = variable;

    public string Variable { get; }
}

/// <summary>A fact of a conformance suite declared in an abstract base class: each engine's subclass runs it, unless that subclass needs an environment variable that is missing.</summary>
[XunitTestCaseDiscoverer("ContactCenter.Infrastructure.Tests.Knowledge.ConformanceFactDiscoverer", "ContactCenter.Infrastructure.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ConformanceFactAttribute : FactAttribute;

public sealed class ConformanceFactDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink _diagnostics;

    public ConformanceFactDiscoverer(IMessageSink diagnostics) => _diagnostics = diagnostics;

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var requirement = testMethod.TestClass.Class.GetCustomAttributes(typeof(SkipUnlessEnvironmentAttribute)).FirstOrDefault();
        var variable = requirement?.GetConstructorArguments().FirstOrDefault() as string;
        if (variable is not null && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)))
        {
            yield return new XunitSkippedDataRowTestCase(_diagnostics, display, displayOptions, testMethod,
                $"{variable} is not set: this engine's conformance run needs a live server (set {variable} to run it).");
            yield break;
        }

        yield return new XunitTestCase(_diagnostics, display, displayOptions, testMethod);
    }
}
