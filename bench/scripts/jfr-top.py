#!/usr/bin/env python3
"""Summarise CPU samples of a JFR recording: top self frames, and inclusive share by frame prefix.

usage: bench/scripts/jfr-top.py <file.jfr> [top-n] [prefix ...]
Uses the JDK's `jfr print --events jdk.ExecutionSample`; no other dependency.
"""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
prefixes = sys.argv[3:] or [
    "dev.cairn.orchestrator.checkpoint", "dev.cairn.orchestrator.dispatch", "dev.cairn.orchestrator.timer",
    "dev.cairn.orchestrator.execution", "dev.cairn.worker.replay", "dev.cairn.worker.client",
    "org.postgresql", "com.zaxxer.hikari", "tools.jackson", "com.fasterxml.jackson", "org.apache.tomcat",
    "org.apache.catalina", "org.springframework.web", "org.springframework.jdbc", "jdk.internal.net.http",
    "java.util.regex", "io.micrometer", "ch.qos.logback", "org.slf4j",
]
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                     capture_output=True, text=True, check=True).stdout
samples = out.split("jdk.ExecutionSample")
self_count = collections.Counter()
incl = collections.Counter()
total = 0
frame_re = re.compile(r"^\s+([\w$.<>/]+)\(")
for s in samples[1:]:
    frames = [m.group(1) for line in s.splitlines() if (m := frame_re.match(line))]
    if not frames:
        continue
    total += 1
    self_count[frames[0]] += 1
    seen = set()
    for f in frames:
        for p in prefixes:
            if f.startswith(p) and p not in seen:
                seen.add(p)
                incl[p] += 1
print(f"{total} CPU samples in {path}")
print("top self frames:")
for f, n in self_count.most_common(top):
    print(f"  {100.0 * n / max(1, total):5.1f}%  {f}")
print("inclusive by prefix (a sample counts once per prefix):")
for p, n in incl.most_common():
    print(f"  {100.0 * n / max(1, total):5.1f}%  {p}")
