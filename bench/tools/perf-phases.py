#!/usr/bin/env python3
"""Where the CPU went in bench scenario 3's upload rounds, by process and phase (bench/README.md, "Profiling scenario 3").

Reads the bench's latest.json (the rounds' moments on the monotonic clock: details.upload.staged.marks, floor.marks,
directMarks) and `perf script -F comm,pid,tid,time,ip,sym,dso` output of a `perf record -k CLOCK_MONOTONIC -g` run of
the bench, and prints the mean CPU milliseconds per round in each phase, by category. The bench process (which hosts
the studio and the floor's bare server) is the first process in the profile.

usage: perf-phases.py latest.json perf-script.txt [perf record's -F, default 1999]
"""
import bisect
import collections
import json
import re
import sys

PHASES = ['click→sent', 'POST', 'answer→DOM', 'DOM→frame']
HEAD = re.compile(r'^(.*?)\s+(\d+)/(\d+)\s+([\d.]+):')


def windows(upload):
    found = []
    for kind in ('staged', 'floor'):
        for m in (upload.get(kind) or {}).get('marks') or []:
            t = [m['click'], m['sent'], m['answered'], m['seen'], m['frame']]
            found += [(('studio' if kind == 'staged' else 'floor'), PHASES[j], t[j], t[j + 1]) for j in range(4)]
    found += [('direct', 'POST', d['start'], d['end']) for d in upload.get('directMarks') or []]
    return sorted(found, key=lambda w: w[2])


def category(comm, pid, frames, bench, node):
    text = ' '.join(frames)
    if pid == bench:
        if 'Tiered' in comm: return 'bench+host: tiered JIT'
        if 'UploadFloorSite' in text: return 'bench+host: floor server'
        if 'I2VStudio.Workspace' in text: return 'bench+host: workspace (asset copy)'
        if any(k in text for k in ('Components.Render', 'RenderTree', 'SignalR', 'Server.Circuits', 'JSInterop')): return 'bench+host: Blazor, SignalR'
        if 'TurboDiffusion' in text or 'System.Net.Http' in text: return 'bench+host: tracker, HTTP client'
        if 'Playwright' in text: return 'bench+host: Playwright client'
        return 'bench+host: other'
    if pid == node: return 'Playwright driver (node)'
    if comm.startswith('.NET') or comm == 'dotnet':
        return 'emulator: tiered JIT' if 'Tiered' in comm else 'emulator'
    return 'chromium: ' + {'chromium': 'main threads', 'ThreadPoolForeg': 'raster workers', 'Compositor': 'compositor',
                           'VizCompositorTh': 'viz (display)'}.get(comm, 'other threads')


def main(latest, script, rate):
    upload = json.load(open(latest, encoding='utf-8'))['details']['upload']
    wins = windows(upload)
    starts = [w[2] for w in wins]
    cpu = collections.defaultdict(collections.Counter)
    count, length = collections.Counter(), collections.Counter()
    for kind, phase, a, b in wins:
        count[(kind, phase)] += 1
        length[(kind, phase)] += (b - a) * 1000
    bench = node = None
    sample = None
    frames = []

    def flush():
        if sample is None: return
        t, comm, pid = sample
        i = bisect.bisect_right(starts, t) - 1
        for j in range(max(0, i - 4), i + 1):
            kind, phase, a, b = wins[j]
            if a <= t < b: cpu[(kind, phase)][category(comm, pid, frames, bench, node)] += 1

    with open(script, encoding='utf-8', errors='replace') as lines:
        for line in lines:
            head = HEAD.match(line)
            if head:
                flush()
                comm, pid, t = head.group(1).strip(), head.group(2), float(head.group(4))
                bench = bench or pid
                if node is None and comm == 'node': node = pid
                sample, frames = (t, comm, pid), []
            elif line.strip():
                frames.append(line.strip())
        flush()
    keys = [('direct', 'POST')] + [(k, p) for k in ('studio', 'floor') for p in PHASES]
    cats = sorted({c for v in cpu.values() for c in v}, key=lambda c: -sum(cpu[k][c] for k in keys))
    print(f"{'mean per round (ms)':36}" + ''.join(f"{k[0] + ' ' + k[1]:>18}" for k in keys))
    print(f"{'wall clock':36}" + ''.join(f"{length[k] / max(count[k], 1):18.1f}" for k in keys))
    for c in cats:
        print(f"{'CPU ' + c:36}" + ''.join(f"{cpu[k][c] / max(count[k], 1) / rate * 1000:18.1f}" for k in keys))
    print(f"{'CPU, all':36}" + ''.join(f"{sum(cpu[k].values()) / max(count[k], 1) / rate * 1000:18.1f}" for k in keys))


if __name__ == '__main__':
    if len(sys.argv) < 3: sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 1999.0)
