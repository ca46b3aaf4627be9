using I2VStudio.E2E.Tests.Infrastructure;
using Xunit.Sdk;
using Xunit.v3;

// One Chromium for the whole run; every test gets its own BrowserContext.
[assembly: AssemblyFixture(typeof(BrowserFixture))]

// The journeys share a 2-core machine with the emulator's ffmpeg renders: run them one at a time, so timings
// (queue delays, polling, deadlines) mean what the tests say.
[assembly: Parallelization(Mode = ParallelMode.None)]
