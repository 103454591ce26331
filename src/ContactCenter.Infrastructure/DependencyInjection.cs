using ContactCenter.Application.Abstractions;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Infrastructure.Persistence;
using ContactCenter.Infrastructure.Seed;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using ContactCenter.Infrastructure.Scheduling;

namespace ContactCenter.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Database (SQLite by default, SQL Server by `Database:Provider`), Identity, seeding.</summary>
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var config = builder.Configuration;
        var provider = config["Database:Provider"] ?? "Sqlite";
        Assist.LlmDrafting.AddLlmDrafting(builder);
        var connectionString = config.GetConnectionString("ContactCenter");

        if (string.Equals(provider, "SqlServer", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:ContactCenter is not set.");
            }

            services.AddDbContext<ContactCenterDbContext, SqlServerContactCenterDbContext>(o =>
                o.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(3)));
            builder.AddScheduling(provider, connectionString);
        }
        else if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var sqlite = SqliteConnectionStrings.Resolve(connectionString, builder.Environment.ContentRootPath);
            var pragmas = new SqlitePragmas(config["Database:Sqlite:Synchronous"] ?? "Full");
            var gate = new SqliteWriteGateInterceptor();
            services.AddDbContext<ContactCenterDbContext, SqliteContactCenterDbContext>(o => o.UseSqlite(sqlite).AddInterceptors(pragmas, gate));
            builder.AddScheduling(provider, sqlite);
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use Sqlite or SqlServer.");
        }

        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Feedback.IFeedbackDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Outbound.IOutboxDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Replies.ICannedResponseDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Api.IIdempotencyDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Email.IEmailDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Files.IFileOwnersDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Sla.ISlaDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Automation.IAutomationDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Reports.IReportsDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        builder.AddSlaJobs();
        services.AddScoped<Application.Webhooks.IWebhookInboxDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Integrations.IIntegrationsDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        services.AddScoped<Application.Audit.IAuditDbContext>(sp => sp.GetRequiredService<ContactCenterDbContext>());
        Privacy.RetentionExtensions.AddRetentionJob(builder);
        Files.LocalFileStorage.Register(builder);

        // Keys that protect sign-in cookies and antiforgery tokens live in the database: every node of one database reads
        // the same keys (a console signed in on node A stays signed in on node B), and they survive restarts and redeploys.
        services.AddDataProtection().SetApplicationName("ContactCenter").PersistKeysToDbContext<ContactCenterDbContext>();

        services.AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<ContactCenterDbContext>()
            .AddDefaultTokenProviders();

        // Operators tighten the password policy and lockout without a rebuild: Identity:Password:RequiredLength,
        // Identity:Lockout:MaxFailedAccessAttempts, Identity:Lockout:DefaultLockoutTimeSpan…
        services.Configure<IdentityOptions>(config.GetSection("Identity"));

        services.AddScoped<ApiTokenService>();
        services.Configure<SeedOptions>(config.GetSection("Seed"));
        services.AddScoped<DemoSeeder>();
        services.AddScoped<DatabaseInitializer>();
        return builder;
    }
}

public static class SqliteConnectionStrings
{
    /// <summary>Defaults to App_Data/contactcenter.db under the content root, creating the folder; a shared cache and a busy timeout for concurrent writers.</summary>
    public static string Resolve(string? configured, string contentRoot)
    {
        var csb = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(configured ?? "Data Source=App_Data/contactcenter.db");
        if (!Path.IsPathRooted(csb.DataSource) && csb.DataSource != ":memory:")
        {
            csb.DataSource = Path.Combine(contentRoot, csb.DataSource);
        }

        var folder = Path.GetDirectoryName(csb.DataSource);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // Concurrent writers wait for each other up to the busy timeout (30 s unless the connection string says otherwise;
        // past it the request fails with a retryable "unavailable" answer).
        if (!(configured ?? "").Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            csb.DefaultTimeout = 30;
        }

        csb.Pooling = true;
        return csb.ToString();
    }
}
