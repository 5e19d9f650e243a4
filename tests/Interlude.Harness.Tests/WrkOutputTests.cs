using Interlude.Harness.Http;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class WrkOutputTests
{
    private const string Sample = """
        Running 5s test @ http://127.0.0.1:40123/plaintext
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   752.31us    1.21ms  38.50ms   94.12%
            Req/Sec    43.12k     3.01k   50.11k    71.00%
          Latency Distribution
             50%  477.00us
             75%  930.00us
             90%    2.03ms
             99%    6.13ms
          429809 requests in 5.01s, 52.47MB read
          Socket errors: connect 0, read 2, write 1, timeout 3
          Non-2xx or 3xx responses: 4
        Requests/sec:  85855.79
        Transfer/sec:     10.47MB
        """;

    [Fact]
    public void ThroughputPercentilesAndErrorsAreReadInMicroseconds()
    {
        WrkResult result = WrkOutput.Parse("interlude", Sample);

        Assert.Equal("interlude", result.Transport);
        Assert.Equal(85855.79, result.RequestsPerSecond);
        Assert.Equal(429809, result.Requests);
        Assert.Equal(477, result.LatencyP50Us);
        Assert.Equal(930, result.LatencyP75Us);
        Assert.Equal(2030, result.LatencyP90Us);
        Assert.Equal(6130, result.LatencyP99Us);
        Assert.Equal(6, result.SocketErrors);
        Assert.Equal(4, result.Non2xx);
    }

    [Fact]
    public void OutputWithoutAThroughputLineIsRejected()
    {
        Assert.Throws<FormatException>(() => WrkOutput.Parse("sockets", "unable to connect to 127.0.0.1:1 Connection refused"));
    }
}
