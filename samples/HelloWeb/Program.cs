// A stock minimal ASP.NET Core app. Run it on Kestrel's socket transport or on Interlude loops:
//   dotnet run --project samples/HelloWeb -c Release -- --transport sockets
//   dotnet run --project samples/HelloWeb -c Release -- --transport interlude
// The handlers are the same either way; the only difference is the UseInterlude() call below.
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);

string transport = builder.Configuration["transport"] ?? "sockets";
if (string.Equals(transport, "interlude", StringComparison.OrdinalIgnoreCase))
{
    builder.WebHost.UseInterlude();
}
else if (!string.Equals(transport, "sockets", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"Unknown transport '{transport}': use --transport sockets or --transport interlude.");
    return 2;
}

WebApplication app = builder.Build();

app.MapGet("/", () => $"Hello from HelloWeb on the {transport} transport.");
app.MapGet("/plaintext", () => Results.Text("Hello, World!", "text/plain"));
app.MapPost("/echo", async (HttpRequest request, HttpResponse response) =>
{
    response.ContentType = request.ContentType ?? "application/octet-stream";
    await request.Body.CopyToAsync(response.Body);
});

await app.RunAsync();
return 0;
