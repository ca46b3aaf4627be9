using System.Reflection;

namespace I2VStudio.Host.Components;

/// <summary>Assemblies with more routable pages, registered by the server (the workspace pages live in the host assembly
/// and run on the server only). Absent in the browser, where the router sees only this assembly.</summary>
/// <param name="Assemblies">The assemblies.</param>
public sealed record ExtraPageAssemblies(IReadOnlyList<Assembly> Assemblies);
