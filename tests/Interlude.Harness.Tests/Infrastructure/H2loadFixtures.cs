namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>h2load's output as nghttp2 1.52 printed it, captured from real runs.</summary>
internal static class H2loadFixtures
{
    /// <summary>
    /// <c>h2load --h1 -n 300 -c 8 -t 1 -m 1 -H "Connection: close"</c> against <c>bench tls</c>'s server in the software
    /// mode, RSA-2048, TLS 1.3, with nothing warmed up; the server counted 300 handshakes.
    /// </summary>
    public const string Rsa2048Tls13 = """
        starting benchmark...
        spawning thread #0: 8 total client(s). 300 total requests
        TLS Protocol: TLSv1.3
        Cipher: TLS_AES_256_GCM_SHA384
        Server Temp Key: X25519 253 bits
        Application protocol: http/1.1
        progress: 10% done
        progress: 20% done
        progress: 30% done
        progress: 40% done
        progress: 50% done
        progress: 60% done
        progress: 70% done
        progress: 80% done
        progress: 90% done
        progress: 100% done

        finished in 1.77s, 169.52 req/s, 0B/s
        requests: 300 total, 300 started, 300 done, 300 succeeded, 0 failed, 0 errored, 0 timeout
        status codes: 300 2xx, 0 3xx, 0 4xx, 0 5xx
        traffic: 0B (0) total, 29.00KB (29700) headers (space savings 0.00%), 3.22KB (3300) data
                             min         max         mean         sd        +/- sd
        time for request:      394us    423.59ms     16.42ms     59.52ms    97.33%
        time for connect:     2.87ms     69.72ms     35.39ms     27.80ms    62.50%
        time to 1st byte:     6.80ms     98.20ms     51.22ms     38.57ms    62.50%
        req/s           :      22.80       23.36       22.99        0.21    75.00%
        """;

    /// <summary>The same against the kestrel-sockets mode, ECDSA P-256, TLS 1.2; the server counted 300 handshakes.</summary>
    public const string EcdsaP256Tls12 = """
        starting benchmark...
        spawning thread #0: 8 total client(s). 300 total requests
        TLS Protocol: TLSv1.2
        Cipher: ECDHE-ECDSA-AES256-GCM-SHA384
        Server Temp Key: X25519 253 bits
        Application protocol: http/1.1
        progress: 10% done
        progress: 20% done
        progress: 30% done
        progress: 40% done
        progress: 50% done
        progress: 60% done
        progress: 70% done
        progress: 80% done
        progress: 90% done
        progress: 100% done

        finished in 1.36s, 220.97 req/s, 0B/s
        requests: 300 total, 300 started, 300 done, 300 succeeded, 0 failed, 0 errored, 0 timeout
        status codes: 300 2xx, 0 3xx, 0 4xx, 0 5xx
        traffic: 0B (0) total, 29.00KB (29700) headers (space savings 0.00%), 3.22KB (3300) data
                             min         max         mean         sd        +/- sd
        time for request:      364us    186.56ms     15.61ms     29.66ms    95.67%
        time for connect:     4.31ms     14.10ms      9.49ms      3.78ms    62.50%
        time to 1st byte:     4.77ms     27.52ms     14.99ms      6.87ms    62.50%
        req/s           :      27.43       28.29       27.89        0.36    62.50%
        """;

    /// <summary>
    /// <c>h2load --h1 -n 100 -c 4 ...</c> against a server that keeps connections open despite "Connection: close": each
    /// client got one response, and h2load counted the rest of its requests as failed.
    /// </summary>
    public const string KeptOpen = """
        starting benchmark...
        spawning thread #0: 4 total client(s). 100 total requests
        TLS Protocol: TLSv1.2
        Cipher: ECDHE-ECDSA-AES256-GCM-SHA384
        Server Temp Key: X25519 253 bits
        No protocol negotiated. Fallback behaviour may be activated
        Server does not support NPN/ALPN. Falling back to HTTP/1.1.
        Application protocol: http/1.1
        No protocol negotiated. Fallback behaviour may be activated
        Server does not support NPN/ALPN. Falling back to HTTP/1.1.
        No protocol negotiated. Fallback behaviour may be activated
        Server does not support NPN/ALPN. Falling back to HTTP/1.1.
        No protocol negotiated. Fallback behaviour may be activated
        Server does not support NPN/ALPN. Falling back to HTTP/1.1.

        finished in 53.27ms, 75.09 req/s, 10.93KB/s
        requests: 100 total, 8 started, 4 done, 4 succeeded, 96 failed, 96 errored, 0 timeout
        status codes: 4 2xx, 0 3xx, 0 4xx, 0 5xx
        traffic: 596B (596) total, 412B (412) headers (space savings 0.00%), 44B (44) data
                             min         max         mean         sd        +/- sd
        time for request:      463us     12.25ms      4.18ms      5.51ms    75.00%
        time for connect:    11.95ms     51.47ms     32.84ms     18.20ms    50.00%
        time to 1st byte:    24.21ms     51.93ms     37.03ms     14.69ms    75.00%
        req/s           :      19.21       41.04       30.44       11.91   100.00%
        """;

    /// <summary>
    /// The --log-file of <c>h2load --h1 -n 12 -c 4 -t 1 -m 1 -d token-request.json -H "content-type: application/json"</c>
    /// against the SecureGateway endpoints' <c>POST /tokens</c> in the offload-async mode: start (us since the epoch),
    /// status, microseconds to the end of the response.
    /// </summary>
    public const string GatewayLog = ""
        + "1796256461512943\t200\t17361\n"
        + "1796256461512330\t200\t18064\n"
        + "1796256461511595\t200\t18825\n"
        + "1796256461530405\t200\t716\n"
        + "1796256461530368\t200\t784\n"
        + "1796256461523351\t200\t7823\n"
        + "1796256461530427\t200\t3401\n"
        + "1796256461531177\t200\t7031\n"
        + "1796256461531155\t200\t7111\n"
        + "1796256461531138\t200\t7152\n"
        + "1796256461533976\t200\t16390\n"
        + "1796256461538250\t200\t15404\n";
}
