namespace ContactCenter.Channels.Tests.Email;

/// <summary>One app per test class (each test uses its own inbox and addresses).</summary>
public sealed class EmailHostFixture : IAsyncLifetime
{
    private EmailTestHost? _host;

    public EmailTestHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _host = await EmailTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public static string Unique(string local) => $"{local}-{Guid.NewGuid().ToString("N")[..8]}@example.test";
}
