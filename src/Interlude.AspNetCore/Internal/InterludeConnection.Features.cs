using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Interlude.AspNetCore.Internal;

/// <summary>The connection features Kestrel and applications look up, all served by the connection itself.</summary>
internal sealed partial class InterludeConnection
    : IConnectionIdFeature,
      IConnectionTransportFeature,
      IConnectionItemsFeature,
      IMemoryPoolFeature,
      IConnectionLifetimeFeature,
      IConnectionEndPointFeature
{
    MemoryPool<byte> IMemoryPoolFeature.MemoryPool => MemoryPool;

    private FeatureCollection CreateFeatures()
    {
        var features = new FeatureCollection();
        features.Set<IConnectionIdFeature>(this);
        features.Set<IConnectionTransportFeature>(this);
        features.Set<IConnectionItemsFeature>(this);
        features.Set<IMemoryPoolFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        features.Set<IConnectionEndPointFeature>(this);
        return features;
    }
}
