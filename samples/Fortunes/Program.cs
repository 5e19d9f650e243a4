// Fortunes: a TechEmpower-style ASP.NET Core MVC app (controllers, a Razor view) on a real PostgreSQL, through
// Npgsql's NpgsqlDataSource and raw ADO.NET. The same code runs on Kestrel's socket transport or on Interlude's
// loops; only the --transport argument differs. See README.md.
//   bash scripts/install-postgres.sh
//   dotnet run --project samples/Fortunes -c Release -- --transport sockets --urls http://127.0.0.1:8080
//   dotnet run --project samples/Fortunes -c Release -- --transport interlude --urls http://127.0.0.1:8080
using Fortunes.Hosting;

WebApplication app;
try
{
    app = FortunesHost.Build(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

await app.RunAsync();
return 0;
