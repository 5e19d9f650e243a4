using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>A logger provider that keeps every entry of one category, with its level and event name.</summary>
internal sealed class CapturedLog(string category) : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Event, string Message)> _entries = new();

    public IReadOnlyCollection<(LogLevel Level, string Event, string Message)> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName == category);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, bool keeps) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => keeps;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (keeps)
            {
                log._entries.Enqueue((logLevel, eventId.Name ?? string.Empty, formatter(state, exception)));
            }
        }
    }
}
