using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Infrastructure.Tests.Knowledge;

/// <summary>A request the fake Elasticsearch received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string Body)
{
    public string Line => $"{Method} {Path}";

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("Empty body");

    /// <summary>The lines of an NDJSON (bulk) body.</summary>
    public IReadOnlyList<JsonNode> NdJson => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
}

/// <summary>
/// Elasticsearch played by Kestrel on loopback: it records every request and answers with recorded Elasticsearch
/// responses (status, JSON, and the x-elastic-product header the client checks).
/// </summary>
internal sealed class FakeElasticsearch : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];

    private FakeElasticsearch(WebApplication app) => _app = app;

    public Func<RecordedRequest, (int Status, string Json)> Respond { get; set; } = r => (404, $$"""{"error":"no route for {{r.Line}}","status":404}""");

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public static async Task<FakeElasticsearch> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeElasticsearch(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));
        fake.Url = new Uri(app.Urls.First());
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        // The client gzips request bodies (as Elasticsearch accepts).
        var input = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        using var reader = new StreamReader(input, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(context.Request.Method, Uri.UnescapeDataString(context.Request.Path.Value ?? ""), context.Request.QueryString.Value ?? "", body);
        lock (_requests)
        {
            _requests.Add(request);
        }

        var (status, json) = Respond(request);
        context.Response.StatusCode = status;
        context.Response.Headers["x-elastic-product"] = "Elasticsearch";
        // Elasticsearch answers in the media type asked for (the bulk API asks for plain application/json).
        var accept = context.Request.Headers.Accept.ToString();
        context.Response.ContentType = accept.Contains("vnd.elasticsearch", StringComparison.Ordinal) ? "application/vnd.elasticsearch+json;compatible-with=9" : "application/json";
        await context.Response.WriteAsync(json);
    }
}

/// <summary>Responses recorded from Elasticsearch 9 for the requests the adapter makes.</summary>
internal static class Recorded
{
    public const string AliasMissing = """{"error":"alias [kb-test] missing","status":404}""";

    public const string SmartcnMissing = """
        {"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"failed to find global analyzer [smartcn]"}],"type":"illegal_argument_exception","reason":"failed to find global analyzer [smartcn]"},"status":400}
        """;

    public const string SmartcnTokens = """
        {"tokens":[{"token":"退货","start_offset":0,"end_offset":2,"type":"word","position":0}]}
        """;

    public const string Acknowledged = """{"acknowledged":true}""";

    public const string AliasesUpdated = """{"acknowledged":true,"errors":false}""";

    public static string AliasOf(string index) => """{"INDEX":{"aliases":{"kb-test":{}}}}""".Replace("INDEX", index, StringComparison.Ordinal);

    public static string IndexCreated(string index) => """{"acknowledged":true,"shards_acknowledged":true,"index":"INDEX"}""".Replace("INDEX", index, StringComparison.Ordinal);

    public static string BulkCreated(string index, params string[] ids) =>
        """{"errors":false,"took":12,"items":[""" + string.Join(',', ids.Select((id, i) =>
            """{"index":{"_index":"INDEX","_id":"ID","_version":1,"result":"created","forced_refresh":true,"_shards":{"total":1,"successful":1,"failed":0},"_seq_no":SEQ,"_primary_term":1,"status":201}}"""
                .Replace("INDEX", index, StringComparison.Ordinal).Replace("ID", id, StringComparison.Ordinal).Replace("SEQ", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))) + "]}";

    public static string BulkStrictMappingError(string index, string id) => """
        {"errors":true,"took":3,"items":[{"index":{"_index":"INDEX","_id":"ID","status":400,"error":{"type":"document_parsing_exception","reason":"[1:187] mapping set to strict, dynamic introduction of [extra] within [_doc] is not allowed"}}}]}
        """.Replace("INDEX", index, StringComparison.Ordinal).Replace("ID", id, StringComparison.Ordinal);

    public static string SearchHits(string index) => """
        {"took":5,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":2,"relation":"eq"},"max_score":7.5321,
          "hits":[
           {"_index":"INDEX","_id":"en/reset-password","_score":7.5321,"sort":["en/reset-password"],
            "_source":{"id":"en/reset-password","slug":"reset-password","locale":"en","category":"account","audience":"public","tags":["password","sign-in"],"updated":"2025-03-01","content_hash":"abc","source":"en/account/reset-password.md","title":"Reset your password","title_en":"Reset your password","tags_en":"password , sign-in","body_en":"Forgot your password? Select Forgot password on the sign-in page."},
            "highlight":{"body_en":["Forgot your <mark>password</mark>? Select Forgot <mark>password</mark> on the sign-in page."]}},
           {"_index":"INDEX","_id":"en/escalate-refund","_score":1.25,
            "_source":{"id":"en/escalate-refund","slug":"escalate-refund","locale":"en","category":"agent-howto","audience":"internal","tags":[],"content_hash":"def","title":"Escalate a large refund","title_en":"Escalate a large refund","body_en":"Refunds over 500 dollars need a supervisor & a note."}}
          ]}}
        """.Replace("INDEX", index, StringComparison.Ordinal);

    public static string EmptySearch => """{"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]}}""";

    public static string DocFound(string index) => """
        {"_index":"INDEX","_id":"zh-CN/return-an-item","_version":3,"_seq_no":7,"_primary_term":1,"found":true,
         "_source":{"id":"zh-CN/return-an-item","slug":"return-an-item","locale":"zh-CN","category":"returns","audience":"public","tags":["退货"],"updated":"2025-03-05","content_hash":"h1","source":"zh-CN/returns/return-an-item.md","title":"如何退货","title_zh":"如何退货","tags_zh":"退货","body_zh":"收到商品后三十天内可以申请退货。","markdown":"收到商品后三十天内可以申请退货。","html":"<p>收到商品后三十天内可以申请退货。</p>"}}
        """.Replace("INDEX", index, StringComparison.Ordinal);

    public static string DocMissing(string index) => """{"_index":"INDEX","_id":"en/nope","found":false}""".Replace("INDEX", index, StringComparison.Ordinal);
}
