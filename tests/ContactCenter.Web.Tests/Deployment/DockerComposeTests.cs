using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ContactCenter.Web.Tests.Deployment;

/// <summary>
/// Static checks of the production deployment description (docker-compose.yml, the app's
/// Dockerfile, deploy/nginx.conf, deploy/.env.example). No Docker engine is needed: the files
/// are parsed and cross-checked, so a renamed service, a missing file or a committed password
/// fails here instead of at `docker compose up`.
/// </summary>
public sealed partial class DockerComposeTests
{
    private const string AppDockerfile = "src/ContactCenter.Web/Dockerfile";

    private static readonly Lazy<ComposeFile> LazyCompose = new(ComposeFile.Load);

    private static ComposeFile Compose => LazyCompose.Value;

    [Fact]
    public void Load_DockerComposeYml_ParsesIntoServiceDefinitions()
    {
        var compose = ComposeFile.Load();

        Assert.NotEmpty(compose.Services);
        Assert.All(compose.Services, s => Assert.IsType<YamlMappingNode>(s.Value));
    }

    [Fact]
    public void Services_ProductionStack_IncludeAppProxySqlServerElasticsearchRedisAndMailCatcher()
    {
        Assert.NotEmpty(Compose.AppServiceNames());
        Assert.NotNull(Compose.ServiceByImage("nginx", "traefik"));
        Assert.NotNull(Compose.ServiceByImage("mcr.microsoft.com/mssql/server"));
        Assert.NotNull(Compose.ServiceByImage("elasticsearch"));
        Assert.NotNull(Compose.ServiceByImage("redis"));
        Assert.NotNull(Compose.ServiceByImage("mailpit"));
    }

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT", "Production")]
    [InlineData("Database__Provider", "SqlServer")]
    [InlineData("ConnectionStrings__ContactCenter", null)]
    [InlineData("Search__Engine", "Elasticsearch")]
    [InlineData("Search__Elasticsearch__Url", null)]
    [InlineData("Redis__Connection", null)]
    [InlineData("Email__Smtp__Port", "2525")]
    [InlineData("Email__Outbound__Host", null)]
    [InlineData("Email__Outbound__Port", "1025")]
    [InlineData("Jobs__Store", "SqlServer")]
    [InlineData("DataProtection__Store", "Database")]
    public void AppEnvironment_ContractKey_IsSetForProduction(string key, string? expected)
    {
        foreach (var app in Compose.AppServiceNames())
        {
            var environment = Compose.EnvironmentOf(app);

            Assert.True(environment.TryGetValue(key, out var value), $"service '{app}' does not set {key}");
            Assert.False(string.IsNullOrWhiteSpace(value), $"service '{app}' sets {key} to an empty value");
            if (expected is not null)
            {
                Assert.Equal(expected, value);
            }
        }
    }

    [Fact]
    public void AppEnvironment_ConnectionString_TargetsSqlServerService()
    {
        foreach (var app in Compose.AppServiceNames())
        {
            var connectionString = Compose.EnvironmentOf(app)["ConnectionStrings__ContactCenter"];

            var host = ConnectionStringHost(connectionString);

            Assert.NotNull(host);
            AssertServiceRunsImage(host, "mcr.microsoft.com/mssql/server");
        }
    }

    [Fact]
    public void AppEnvironment_ElasticsearchUrl_TargetsElasticsearchService()
    {
        foreach (var app in Compose.AppServiceNames())
        {
            var url = new Uri(Compose.EnvironmentOf(app)["Search__Elasticsearch__Url"]);

            AssertServiceRunsImage(url.Host, "elasticsearch");
            Assert.Equal(9200, url.Port);
        }
    }

    [Fact]
    public void AppEnvironment_RedisConnection_TargetsRedisService()
    {
        foreach (var app in Compose.AppServiceNames())
        {
            // StackExchange.Redis configuration: "host:port[,host:port][,option=value...]".
            var endpoint = Compose.EnvironmentOf(app)["Redis__Connection"].Split(',')[0].Trim();
            var host = endpoint.Split(':')[0];

            AssertServiceRunsImage(host, "redis");
        }
    }

    [Fact]
    public void AppEnvironment_OutboundMailHost_TargetsMailCatcherService()
    {
        foreach (var app in Compose.AppServiceNames())
        {
            AssertServiceRunsImage(Compose.EnvironmentOf(app)["Email__Outbound__Host"], "mailpit");
        }
    }

    [Fact]
    public void AppDeploy_Replicas_RunsTwoInstances()
    {
        var instances = Compose.AppServiceNames().Sum(name =>
        {
            var replicas = At(Compose.Service(name), "deploy", "replicas") as YamlScalarNode;
            return replicas?.Value is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : 1;
        });

        Assert.Equal(2, instances);
    }

    [Fact]
    public void Environment_PasswordValues_AreRequiredInterpolationsNotLiterals()
    {
        var offending = new List<string>();
        foreach (var (service, _) in Compose.Services)
        {
            foreach (var (key, value) in Compose.EnvironmentOf(service))
            {
                if (key.Contains("password", StringComparison.OrdinalIgnoreCase) && !IsInterpolationOnly(value))
                {
                    offending.Add($"{service}: {key}");
                }

                foreach (var secret in ConnectionStringSecrets(value))
                {
                    if (!IsInterpolationOnly(secret))
                    {
                        offending.Add($"{service}: {key} (connection string password)");
                    }
                }
            }
        }

        Assert.Empty(offending);
    }

    [Fact]
    public void AppBuild_Dockerfile_ExistsAndBuildsWithSdkIntoNonRootRuntime()
    {
        foreach (var app in Compose.AppServiceNames())
        {
            var build = Assert.IsType<YamlMappingNode>(At(Compose.Service(app), "build"));
            var context = (At(build, "context") as YamlScalarNode)?.Value ?? ".";
            var dockerfile = (At(build, "dockerfile") as YamlScalarNode)?.Value ?? "Dockerfile";
            var path = Path.GetFullPath(Path.Combine(Compose.RepoRoot, context, dockerfile));

            Assert.True(File.Exists(path), $"service '{app}' builds from missing {path}");
            var instructions = DockerfileInstructions(File.ReadAllText(path));
            Assert.Contains(instructions, i => i.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", StringComparison.Ordinal));
            Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", instructions.Last(i => i.StartsWith("FROM ", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains(instructions, i => i.StartsWith("USER ", StringComparison.Ordinal) && !i.Contains("root", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(instructions, i => i.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && i.Contains("/health", StringComparison.Ordinal));
            Assert.Contains(instructions, i => i.StartsWith("EXPOSE ", StringComparison.Ordinal) && i.Contains("8080", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ProxyVolumes_MountedConfig_ExistsAndEnablesWebSocketUpgrade()
    {
        var config = ReadProxyConfig();

        Assert.Matches(ProxyHttp11Regex(), config);
        Assert.Matches(UpgradeHeaderRegex(), config);
        Assert.Matches(ConnectionHeaderRegex(), config);
        Assert.Contains("location /_blazor", config, StringComparison.Ordinal);
        Assert.Contains("location /hubs/", config, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-For", config, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Proto", config, StringComparison.Ordinal);
    }

    [Fact]
    public void ProxyConfig_Upstreams_RouteStickily()
    {
        var config = ReadProxyConfig();
        var upstreams = UpstreamBlockRegex().Matches(config);

        var appUpstreams = upstreams.Where(u => u.Value.Contains(":8080", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(appUpstreams);
        Assert.All(appUpstreams, u => Assert.Matches(StickyDirectiveRegex(), u.Value));
    }

    [Fact]
    public void Ports_SmtpReceiver_IsPublishedOnTheHost()
    {
        var smtpPort = Compose.EnvironmentOf(Compose.AppServiceNames()[0])["Email__Smtp__Port"];

        var published = Compose.Services.Keys
            .SelectMany(s => At(Compose.Service(s), "ports") is YamlSequenceNode ports ? ports.Children : [])
            .OfType<YamlScalarNode>()
            .Select(p => p.Value ?? string.Empty);

        Assert.Contains(published, p => p.EndsWith(":" + smtpPort, StringComparison.Ordinal) || p.EndsWith(":" + smtpPort + "/tcp", StringComparison.Ordinal));
    }

    [Fact]
    public void DependsOn_EveryTarget_IsADefinedService()
    {
        var missing = Compose.Services.Keys
            .SelectMany(s => Compose.DependsOn(s).Select(d => (Service: s, Target: d.Target)))
            .Where(d => !Compose.Services.ContainsKey(d.Target))
            .Select(d => $"{d.Service} -> {d.Target}")
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void DependsOn_ServiceHealthyCondition_TargetHasHealthcheck()
    {
        var withoutHealthcheck = Compose.Services.Keys
            .SelectMany(s => Compose.DependsOn(s).Select(d => (Service: s, d.Target, d.Condition)))
            .Where(d => d.Condition == "service_healthy" && Compose.Services.ContainsKey(d.Target) && !HasHealthcheck(d.Target))
            .Select(d => $"{d.Service} -> {d.Target}")
            .ToList();

        Assert.Empty(withoutHealthcheck);
    }

    [Fact]
    public void Volumes_NamedVolumeMounts_AreDeclaredAtTopLevel()
    {
        var declared = At(Compose.Root, "volumes") is YamlMappingNode volumes
            ? volumes.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToHashSet(StringComparer.Ordinal)
            : [];

        var undeclared = Compose.Services.Keys
            .SelectMany(s => At(Compose.Service(s), "volumes") is YamlSequenceNode mounts ? mounts.Children : [])
            .OfType<YamlScalarNode>()
            .Select(m => (m.Value ?? string.Empty).Split(':')[0])
            .Where(source => source.Length > 0 && !source.StartsWith('.') && !source.StartsWith('/') && !source.StartsWith('~'))
            .Where(source => !declared.Contains(source))
            .ToList();

        Assert.Empty(undeclared);
    }

    [Fact]
    public void EnvExample_RequiredVariables_AreListedWithoutValues()
    {
        var examplePath = Path.Combine(Compose.RepoRoot, "deploy", ".env.example");
        Assert.True(File.Exists(examplePath), $"missing {examplePath}");
        var example = File.ReadAllLines(examplePath)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);

        var uncommented = string.Join('\n', Compose.Text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        var required = RequiredVariableRegex().Matches(uncommented).Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.NotEmpty(required);
        Assert.All(required, name =>
        {
            Assert.True(example.TryGetValue(name, out var value), $"{name} is required by docker-compose.yml but not listed in deploy/.env.example");
            if (name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase))
            {
                Assert.True(value.Length == 0, $"deploy/.env.example must not carry a value for {name}");
            }
        });
    }

    private static void AssertServiceRunsImage(string host, string imageFragment)
    {
        Assert.True(Compose.Services.ContainsKey(host), $"'{host}' is not a service in docker-compose.yml");
        var image = (At(Compose.Service(host), "image") as YamlScalarNode)?.Value ?? string.Empty;
        Assert.Contains(imageFragment, image, StringComparison.Ordinal);
    }

    private static bool HasHealthcheck(string service)
    {
        if (At(Compose.Service(service), "healthcheck") is YamlMappingNode healthcheck)
        {
            return At(healthcheck, "disable") is not YamlScalarNode { Value: "true" };
        }

        // Falls back to the HEALTHCHECK of an image built from a Dockerfile in this repository.
        if (At(Compose.Service(service), "build") is YamlMappingNode build)
        {
            var context = (At(build, "context") as YamlScalarNode)?.Value ?? ".";
            var dockerfile = (At(build, "dockerfile") as YamlScalarNode)?.Value ?? "Dockerfile";
            var path = Path.GetFullPath(Path.Combine(Compose.RepoRoot, context, dockerfile));
            return File.Exists(path)
                && DockerfileInstructions(File.ReadAllText(path)).Any(i => i.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        }

        return false;
    }

    private static string ReadProxyConfig()
    {
        var proxy = Compose.ServiceByImage("nginx", "traefik");
        Assert.NotNull(proxy);

        var mounts = At(Compose.Service(proxy), "volumes") as YamlSequenceNode;
        Assert.NotNull(mounts);
        var configFiles = mounts.Children
            .OfType<YamlScalarNode>()
            .Select(m => (m.Value ?? string.Empty).Split(':')[0])
            .Where(source => source.StartsWith("./", StringComparison.Ordinal))
            .Select(source => Path.GetFullPath(Path.Combine(Compose.RepoRoot, source)))
            .ToList();

        Assert.NotEmpty(configFiles);
        Assert.All(configFiles, f => Assert.True(File.Exists(f), $"proxy mounts missing file {f}"));
        return string.Join('\n', configFiles.Select(File.ReadAllText));
    }

    /// <summary>Follows mapping keys; null when a step is missing or not a mapping.</summary>
    private static YamlNode? At(YamlNode node, params string[] keys)
    {
        var current = node;
        foreach (var key in keys)
        {
            if (current is not YamlMappingNode mapping)
            {
                return null;
            }

            current = mapping.Children
                .Where(c => c.Key is YamlScalarNode { Value: { } k } && k == key)
                .Select(c => c.Value)
                .FirstOrDefault();
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static bool IsInterpolationOnly(string value) => RequiredInterpolationRegex().IsMatch(value);

    private static IEnumerable<string> ConnectionStringSecrets(string value) =>
        value.Split(';')
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim() is var k
                && (k.Equals("Password", StringComparison.OrdinalIgnoreCase) || k.Equals("Pwd", StringComparison.OrdinalIgnoreCase)))
            .Select(kv => kv[1].Trim());

    private static string? ConnectionStringHost(string connectionString)
    {
        string[] serverKeys = ["Server", "Data Source", "Address", "Addr", "Network Address"];
        var server = connectionString.Split(';')
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && serverKeys.Contains(kv[0].Trim(), StringComparer.OrdinalIgnoreCase))
            .Select(kv => kv[1].Trim())
            .FirstOrDefault();
        if (server is null)
        {
            return null;
        }

        if (server.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
        {
            server = server[4..];
        }

        return server.Split(',', '\\')[0].Trim();
    }

    /// <summary>Dockerfile instructions with comments removed and line continuations joined.</summary>
    private static List<string> DockerfileInstructions(string dockerfile)
    {
        var instructions = new List<string>();
        var current = string.Empty;
        foreach (var raw in dockerfile.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Trim().Length > 0)
            {
                instructions.Add(current.Trim());
            }

            current = string.Empty;
        }

        return instructions;
    }

    // ${NAME} or ${NAME:?message} / ${NAME?message}; a default (${NAME:-x}) would be a literal.
    [GeneratedRegex(@"^\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}$")]
    private static partial Regex RequiredInterpolationRegex();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*):?\?")]
    private static partial Regex RequiredVariableRegex();

    [GeneratedRegex(@"proxy_http_version\s+1\.1\s*;")]
    private static partial Regex ProxyHttp11Regex();

    [GeneratedRegex(@"proxy_set_header\s+Upgrade\s+\$http_upgrade\s*;")]
    private static partial Regex UpgradeHeaderRegex();

    [GeneratedRegex(@"proxy_set_header\s+Connection\s+(\$\w+|""?upgrade""?)\s*;")]
    private static partial Regex ConnectionHeaderRegex();

    [GeneratedRegex(@"upstream\s+\w+\s*\{[^}]*\}")]
    private static partial Regex UpstreamBlockRegex();

    [GeneratedRegex(@"^\s*(ip_hash|hash\s+\S+|sticky\b[^;]*)", RegexOptions.Multiline)]
    private static partial Regex StickyDirectiveRegex();

    /// <summary>docker-compose.yml at the repository root, parsed with YamlDotNet.</summary>
    private sealed class ComposeFile
    {
        private ComposeFile(string repoRoot, string text, YamlMappingNode root)
        {
            RepoRoot = repoRoot;
            Text = text;
            Root = root;
            var services = Assert.IsType<YamlMappingNode>(At(root, "services"));
            Services = services.Children.ToDictionary(
                c => ((YamlScalarNode)c.Key).Value!,
                c => c.Value,
                StringComparer.Ordinal);
        }

        public string RepoRoot { get; }

        public string Text { get; }

        public YamlMappingNode Root { get; }

        public Dictionary<string, YamlNode> Services { get; }

        public static ComposeFile Load()
        {
            var repoRoot = FindRepoRoot();
            var path = Path.Combine(repoRoot, "docker-compose.yml");
            Assert.True(File.Exists(path), $"missing {path}");
            var text = File.ReadAllText(path);

            var stream = new YamlStream();
            using (var reader = new StringReader(text))
            {
                stream.Load(reader);
            }

            var document = Assert.Single(stream.Documents);
            return new ComposeFile(repoRoot, text, Assert.IsType<YamlMappingNode>(document.RootNode));
        }

        public YamlMappingNode Service(string name) => Assert.IsType<YamlMappingNode>(Services[name]);

        /// <summary>Services built from the web app's Dockerfile.</summary>
        public IReadOnlyList<string> AppServiceNames()
        {
            var apps = Services.Keys
                .Where(name => At(Service(name), "build", "dockerfile") is YamlScalarNode { Value: { } dockerfile }
                    && dockerfile.Replace('\\', '/').EndsWith(AppDockerfile, StringComparison.Ordinal))
                .ToList();
            Assert.True(apps.Count > 0, $"no service is built from {AppDockerfile}");
            return apps;
        }

        /// <summary>The first service whose image contains one of the fragments.</summary>
        public string? ServiceByImage(params string[] imageFragments) =>
            Services.Keys.FirstOrDefault(name =>
                At(Service(name), "image") is YamlScalarNode { Value: { } image }
                && imageFragments.Any(f => image.Contains(f, StringComparison.Ordinal)));

        /// <summary>The service's environment, from either the mapping or the KEY=VALUE list form.</summary>
        public Dictionary<string, string> EnvironmentOf(string service)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            switch (At(Service(service), "environment"))
            {
                case YamlMappingNode mapping:
                    foreach (var (key, value) in mapping.Children)
                    {
                        result[((YamlScalarNode)key).Value!] = (value as YamlScalarNode)?.Value ?? string.Empty;
                    }

                    break;
                case YamlSequenceNode list:
                    foreach (var item in list.Children.OfType<YamlScalarNode>())
                    {
                        var pair = (item.Value ?? string.Empty).Split('=', 2);
                        result[pair[0]] = pair.Length == 2 ? pair[1] : string.Empty;
                    }

                    break;
            }

            return result;
        }

        /// <summary>depends_on targets, from either the list or the mapping (with condition) form.</summary>
        public IEnumerable<(string Target, string? Condition)> DependsOn(string service) =>
            At(Service(service), "depends_on") switch
            {
                YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(t => (t.Value!, (string?)null)),
                YamlMappingNode mapping => mapping.Children.Select(c =>
                    (((YamlScalarNode)c.Key).Value!, (At(c.Value, "condition") as YamlScalarNode)?.Value)),
                _ => [],
            };

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"ContactCenter.sln not found above {AppContext.BaseDirectory}");
        }
    }
}
