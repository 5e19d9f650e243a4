// The Interlude meter through OpenTelemetry:
//   dotnet run --project samples/Telemetry -c Release -- --urls http://127.0.0.1:5080
//   curl -d hello http://127.0.0.1:5080/digest; curl http://127.0.0.1:5080/metrics; curl http://127.0.0.1:5080/health
// With OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317 the metrics are also pushed over OTLP.
await Telemetry.TelemetryApp.Build(args).RunAsync();
