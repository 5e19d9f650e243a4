using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Interlude.Gateway.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps every entry at <see cref="LogLevel.Error"/> or above, from any category: an
/// ordinary end of a connection (a client that went away) must never show up here, on either transport.
/// </summary>
internal sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Every error logged so far: level, category, event, message and exception.</summary>
    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        private readonly ErrorLog _log;
        private readonly string _category;

        public Logger(ErrorLog log, string category)
        {
            _log = log;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _log._entries.Enqueue($"{logLevel} {_category} [{eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}]: {formatter(state, exception)} {exception}");
            }
        }
    }
}
