using ContactCenter.Application;
using ContactCenter.Channels;
using ContactCenter.Infrastructure;
using ContactCenter.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplication();
builder.AddInfrastructure();
builder.AddKnowledgeBase();
builder.AddChannels();
builder.AddWeb();

var app = builder.Build();
app.UseWeb();
await app.InitializeAsync();
await app.RunAsync();

/// <summary>The entry point (public for the integration tests' WebApplicationFactory).</summary>
public partial class Program;
