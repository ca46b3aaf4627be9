using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using I2VStudio.Bench.Infrastructure;
using TurboDiffusion.Client.Contract;

namespace I2VStudio.Bench.Scenarios;

/// <summary>
/// Micro-benchmark (BenchmarkDotNet, in-process): reading one status payload — the contract's SUCCESS example — with the
/// client's typed DTOs versus a JsonNode DOM read of the same four fields (what a hand-written client would do).
/// </summary>
[MemoryDiagnoser]
public class StatusParsingBenchmarks
{
    public const string SuccessJson = """{"job_id": "3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", "status": "SUCCESS", "db": {"status": "SUCCEEDED", "input": {"bucket": "turbo-super-novel", "key": "turbodiffusion/inputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.png"}, "output": {"bucket": "turbo-super-novel", "key": "turbodiffusion/outputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.mp4"}, "created_at": "2025-12-21T14:02:11.804512+00:00", "updated_at": "2025-12-21T14:07:02.554310+00:00", "error": null}, "result": {"job_id": "3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", "input_bucket": "turbo-super-novel", "input_key": "turbodiffusion/inputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.png", "output_bucket": "turbo-super-novel", "output_key": "turbodiffusion/outputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.mp4"}, "output_url": "http://127.0.0.1:9000/turbo-super-novel/turbodiffusion/outputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=minioadmin%2F20251221%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20251221T140731Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=5b0a3d7c1e9f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b"}""";

    private readonly byte[] _json = Encoding.UTF8.GetBytes(SuccessJson);

    [Benchmark]
    public string? TypedDto()
    {
        var status = JsonSerializer.Deserialize<JobStatusResponse>(_json, TurboDiffusionJson.SerializerOptions);
        return status!.Status + status.Db?.Status + status.OutputUrl + status.Error;
    }

    [Benchmark(Baseline = true)]
    public string? JsonNodeDom()
    {
        var node = JsonNode.Parse(_json)!;
        return (string?)node["status"] + (string?)node["db"]?["status"] + (string?)node["output_url"] + (string?)node["error"];
    }

    public static void Run(Report report, string artifacts)
    {
        var job = InProcessBenchmarks.Job(warmups: 3, iterations: 10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200));
        var summary = BenchmarkRunner.Run<StatusParsingBenchmarks>(InProcessBenchmarks.Config(job, artifacts));
        BenchmarkReport ReportFor(string name) => summary.Reports.First(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == name);
        double Mean(string name) => ReportFor(name).ResultStatistics?.Mean ?? double.NaN;
        double Bytes(string name) => ReportFor(name).BytesPerOperation();

        report.Add(new Figure
        {
            Scenario = "µ", Metric = "parse one status payload (contract SUCCESS example)", Unit = "µs",
            Ours = Mean(nameof(TypedDto)) / 1000, BaselineName = "JsonNode DOM", Baseline = Mean(nameof(JsonNodeDom)) / 1000,
            Note = $"BenchmarkDotNet in-process; allocated {Bytes(nameof(TypedDto)):0} B vs {Bytes(nameof(JsonNodeDom)):0} B per parse",
        });
    }
}
