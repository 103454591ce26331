using ContactCenter.Bench;

// Exit codes: 0 = ran and wrote results; 1 = the run failed (server did not start, setup failed…);
// 2 = usage error or a scenario that is not implemented yet.
try
{
    var options = BenchOptions.Parse(args);
    if (options.Help)
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }

    if (options.Scenario is "" or "list")
    {
        Console.WriteLine(Catalog.Describe());
        if (options.Scenario == "")
        {
            Console.WriteLine();
            Console.WriteLine(BenchOptions.Usage);
        }

        return options.Scenario == "" ? 2 : 0;
    }

    var scenario = Catalog.Find(options.Scenario);
    if (scenario is null)
    {
        Console.Error.WriteLine($"Unknown scenario '{options.Scenario}'.");
        Console.Error.WriteLine(Catalog.Describe());
        return 2;
    }

    if (scenario.Run is null)
    {
        Console.Error.WriteLine($"{scenario.Name}: not implemented yet: depends on issue {scenario.DependsOnIssue} ({scenario.DependsOn}).");
        Console.Error.WriteLine($"It will measure: {scenario.Measures}");
        return 2;
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };

    var report = await scenario.Run(options, stop.Token);
    var files = ReportWriter.Write(report, options, RepoPaths.Root);
    Console.WriteLine();
    Console.WriteLine(ReportWriter.Markdown(report, Path.GetFileName(files.Png)));
    Console.WriteLine($"Results: {files.Json}");
    Console.WriteLine($"         {files.Markdown}");
    Console.WriteLine($"         {files.Png}");
    foreach (var copy in files.Copies)
    {
        Console.WriteLine($"Also:    {copy}");
    }

    return 0;
}
catch (UsageException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
catch (BenchFailedException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("bench: cancelled.");
    return 1;
}
