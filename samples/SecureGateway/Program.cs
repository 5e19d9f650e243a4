// SecureGateway: a stock ASP.NET Core HTTPS app that issues and verifies ES256 JWTs and seals AES-256-GCM
// envelopes, with its crypto on an Interlude crypto engine. See README.md.
//   dotnet run --project samples/SecureGateway -c Release
//   dotnet run --project samples/SecureGateway -c Release -- --crypto inline --transport sockets
//   dotnet run --project samples/SecureGateway -c Release -- --offload-handshakes --engine-cores 3
using System.Security.Cryptography;
using SecureGateway;

GatewayHost host;
try
{
    host = GatewayHost.Build(args);
}
catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or IOException or CryptographicException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

GatewayHostOptions options = host.Options;
Console.WriteLine(
    $"SecureGateway: transport {options.Transport}, crypto {options.Crypto}, TLS handshakes " +
    (options.OffloadHandshakes ? $"offloaded ({options.HandshakeMode})" : "on the loops") +
    $", signing key {host.Keys.SigningKeyId}, certificate {host.Certificate.Subject} ({host.Certificate.PublicKey.Oid.FriendlyName}).");
await host.RunAsync();
return 0;
