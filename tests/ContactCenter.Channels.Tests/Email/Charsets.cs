using System.Runtime.CompilerServices;
using System.Text;

namespace ContactCenter.Channels.Tests.Email;

internal static class Charsets
{
    /// <summary>The tests parse mail (e.g. test discovery reads the mbox corpus) before any app starts: register the legacy charsets first, as AddEmailChannel does.</summary>
    [ModuleInitializer]
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
