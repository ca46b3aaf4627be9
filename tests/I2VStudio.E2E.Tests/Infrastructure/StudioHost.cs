using I2VStudio.Testing;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>The real studio host on a free Kestrel port with the settings of a fixture (see <see cref="StudioHostFactory"/>).</summary>
internal sealed class StudioHost(IReadOnlyDictionary<string, string?> settings) : StudioHostFactory(settings);
