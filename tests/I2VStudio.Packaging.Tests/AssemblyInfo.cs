using I2VStudio.Packaging.Tests.Infrastructure;
using Xunit.Sdk;
using Xunit.v3;

// One Chromium for the whole run; every test gets its own BrowserContext.
[assembly: AssemblyFixture(typeof(BrowserFixture))]

// A consumer build, a WebAssembly runtime and the emulator's ffmpeg share a 2-core machine: one test at a time keeps
// each one's timings honest.
[assembly: Parallelization(Mode = ParallelMode.None)]
