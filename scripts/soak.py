#!/usr/bin/env python3
"""Soak test: the daemon against 50 local wires with aggressive schedules.

    cargo build --release --bin polywire
    python3 scripts/soak.py                 # 10 minutes
    python3 scripts/soak.py --seconds 120   # a shorter run

Serves 50 RSS wires on 127.0.0.1 (a new story every 3 seconds on each;
some wires broken on purpose: HTTP 500, an error page instead of a feed, a
server slower than the timeout; one slow but in time), runs `polywire run`
with every source on a 5-second schedule, and checks:

* memory stays flat: resident memory late in the run is within 25 % of the
  level after warm-up (every sample is printed, one line a minute);
* no error goes unreported: every broken wire shows up in /healthz with
  failures, a reason code and the error in words, in /metrics under its own
  source and status, and in the JSON log as a warning naming the source;
* the healthy wires keep being read: stories are still being stored in the
  last fifth of the run, and no healthy wire is in trouble;
* every feed stays valid: /feed.rss, /feed.atom, /feed.json and a per-source
  feed parse as XML/JSON at every sample.

Exits non-zero when a check fails. Only stdlib; no traffic leaves 127.0.0.1.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = 50
BROKEN_500 = {7, 19}
BROKEN_XML = {23, 41}
TIMEOUT = {45}
SLOW = {33}
BROKEN = BROKEN_500 | BROKEN_XML | TIMEOUT
START = time.time()


class Wire(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype):
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the daemon gave up on a wire slower than its timeout

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if self.path == "/robots.txt":
            return self.send(404, "", "text/plain")
        if len(parts) != 2 or not parts[0].startswith("s"):
            return self.send(404, "not found", "text/plain")
        n = int(parts[0][1:])
        if n in BROKEN_500:
            return self.send(500, "boom", "text/plain")
        if n in SLOW:
            time.sleep(2)
        if n in TIMEOUT:
            time.sleep(7)  # past the daemon's 5-second timeouts
        if parts[1] == "rss.xml":
            if n in BROKEN_XML:
                # Not a feed at all (an error page): the lenient reader
                # recovers truncated XML, so this is what a parse failure is.
                return self.send(200, "<html><body><h1>502 Bad Gateway</h1></body></html>", "application/rss+xml")
            # A new story every 3 seconds; the index shows the latest 20.
            latest = int((time.time() - START) / 3)
            items = []
            for k in range(max(0, latest - 20), latest + 1):
                items.append(
                    f"<item><title>Wire {n} story {k}: Shanghai chip output rises</title>"
                    f"<link>http://{self.headers['Host']}/s{n}/{k}.html</link>"
                    f"<guid>s{n}-{k}</guid><description>&lt;p&gt;SHANGHAI (Reuters) - Semiconductor plants in Shanghai "
                    f"raised output for week {k}, wire {n} reported.&lt;/p&gt;</description></item>"
                )
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Wire {n}</title><link>http://{self.headers['Host']}/s{n}/</link><description>d</description>"
                + "".join(items)
                + "</channel></rss>"
            )
            return self.send(200, body, "application/rss+xml; charset=utf-8")
        return self.send(404, "not found", "text/plain")


def get(url, timeout=10):
    """Status and body; an HTTP error status is an answer, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "polywire"))
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Wire)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    tmp = tempfile.mkdtemp(prefix="polywire-soak-")
    os.makedirs(os.path.join(tmp, "sources"))
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with open(os.path.join(tmp, "polywire.toml"), "w") as f:
        f.write(
            f'[server]\nlisten = "127.0.0.1:{port}"\n[store]\npath = "{tmp}/soak.db"\n'
            "[fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nper_host_concurrency = 8\n"
            "retries = 0\ntimeout_secs = 5\nfirst_byte_timeout_secs = 5\n"
            f'[paths]\nsources = "sources"\ntaxonomy = "{ROOT}/config/taxonomy"\nfeeds = "{ROOT}/feeds"\n'
            '[limits]\nmax_backoff_secs = 10\n[log]\nformat = "json"\nlevel = "info"\n'
        )
    for n in range(SOURCES):
        with open(os.path.join(tmp, "sources", f"s{n}.toml"), "w") as f:
            f.write(
                f'id = "s{n}"\nname = "Wire {n}"\nlanguage = "en"\ntimezone = "UTC"\n'
                f'schedule = "*/5 * * * * *"\n[index]\nkind = "rss"\nurl = "{base}/s{n}/rss.xml"\n'
            )
    log_path = os.path.join(tmp, "daemon.log")
    log = open(log_path, "w")
    daemon = subprocess.Popen([args.binary, "run", "--config", os.path.join(tmp, "polywire.toml")], stderr=log)
    api = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            get(api + "/healthz")
            break
        except Exception:
            time.sleep(0.05)

    samples = []
    invalid = []
    begun = time.time()
    end = begun + args.seconds
    print(" elapsed  RSS MiB  stories")
    while time.time() < end:
        time.sleep(10)
        if daemon.poll() is not None:
            print("FAIL: the daemon exited", file=sys.stderr)
            return 1
        try:
            stories = json.loads(get(api + "/healthz")[1]).get("stories")
        except Exception:  # noqa: BLE001 - a bad health answer shows as None
            stories = None
        samples.append((time.time() - begun, rss_kib(daemon.pid), stories))
        if len(samples) % 6 == 0 or len(samples) == 1:
            t, kib, n = samples[-1]
            print(f"{t:7.0f}s {kib / 1024:8.1f} {n!s:>8}", flush=True)
        for path, kind in [("/feed.rss", "xml"), ("/feed.atom", "xml"), ("/feed.json", "json"), ("/feed.rss?source=s3", "xml")]:
            try:
                status, body = get(api + path)
                if status != 200:
                    raise ValueError(f"HTTP {status}")
                if kind == "xml":
                    ET.fromstring(body)
                else:
                    json.loads(body)
            except Exception as err:  # noqa: BLE001 - any failure is a finding
                invalid.append(f"{path}: {err}")

    _, health = get(api + "/healthz", timeout=10)
    try:
        health_json = json.loads(health)
    except Exception:
        health_json = {}
    _, metrics = get(api + "/metrics")
    daemon.terminate()
    daemon.wait(timeout=30)
    log.close()

    failures = []
    warm = [kib for t, kib, _ in samples if t > args.seconds * 0.3]
    late = [kib for t, kib, _ in samples if t > args.seconds * 0.8]
    if warm and late:
        base_kib = sorted(warm)[len(warm) // 2]
        late_kib = max(late)
        growth = (late_kib - base_kib) / base_kib
        print(f"memory: {base_kib / 1024:.1f} MiB after warm-up, at most {late_kib / 1024:.1f} MiB late ({growth:+.0%})")
        if growth > 0.25:
            failures.append(f"memory grew {growth:+.0%}")
    counts = [n for t, _, n in samples if n is not None and t > args.seconds * 0.8]
    if len(counts) < 2 or counts[-1] <= counts[0]:
        failures.append(f"no stories stored in the last fifth of the run: {counts}")
    sources = {s.get("id"): s for s in health_json.get("sources", [])}
    for n in sorted(BROKEN):
        state = sources.get(f"s{n}", {})
        if not state.get("failures") or state.get("last_status") in (None, "ok") or not state.get("last_error"):
            failures.append(f"broken wire s{n} not reported in /healthz: {state}")
        else:
            print(f"/healthz s{n}: failures {state['failures']}, {state['last_status']}: {state['last_error']}")
    for n in sorted(set(range(SOURCES)) - BROKEN):
        state = sources.get(f"s{n}", {})
        if state.get("in_trouble") or not state.get("last_run"):
            failures.append(f"healthy wire s{n} is not healthy in /healthz: {state}")
    text = metrics.decode()
    expected = [f'polywire_fetches_total{{source="s{n}",status="http_500"}}' for n in BROKEN_500]
    expected += [f'polywire_parse_failures_total{{source="s{n}"}}' for n in BROKEN_XML]
    expected += [f'polywire_fetches_total{{source="s{n}",status="timeout"}}' for n in TIMEOUT]
    for line in expected:
        if line not in text:
            failures.append(f"/metrics lacks {line}")
    with open(log_path) as f:
        lines = f.readlines()
    for n in sorted(BROKEN):
        warned = [l for l in lines if f'"source":"s{n}"' in l and ('"level":"WARN"' in l or '"level":"ERROR"' in l)]
        if not warned:
            failures.append(f"broken wire s{n} has no warning in the log")
    panics = [l for l in lines if "panicked" in l]
    if panics:
        failures.append(f"{len(panics)} panics in the log")
    if invalid:
        failures.append(f"{len(invalid)} invalid feed responses, e.g. {invalid[0]}")
    stored = sum(1 for l in lines if "Story stored." in l)
    print(f"samples: {len(samples)}; stories stored: {stored}; log lines: {len(lines)}; invalid feeds: {len(invalid)}")
    if failures:
        for f in failures:
            print("FAIL:", f, file=sys.stderr)
        return 1
    print("soak ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
