// The inference server on Interlude: KServe v2 (/v2/...), text-embeddings-inference's /embed, and /detect.
//   scripts/fetch-models.sh                                              # BlazeFace, for /detect
//   dotnet run --project samples/InferenceServer -c Release -- --port 8000 [--transport sockets] [--max-batch 1]
//   curl -s localhost:8000/embed -H 'content-type: application/json' -d '{"inputs": ["Hello", "World"]}'
//   curl -s localhost:8000/detect --data-binary @face.jpg
using InferenceServer;
using Microsoft.Extensions.Configuration;

IConfiguration commandLine = new ConfigurationBuilder().AddCommandLine(args).Build();
InferenceServerSettings settings;
try
{
    settings = InferenceServerSettings.FromConfiguration(commandLine);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

await using InferenceServerHost server = InferenceServerHost.Build(settings);
await server.App.RunAsync();
return 0;
