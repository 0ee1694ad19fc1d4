"""``make bench-serve``: what serving the main public pages costs in the production layout, with
the page cache and without it, in one run (a command that prints figures, not a test).

Two gunicorn servers with the production settings, the same database, engine and Redis and the
same number of workers, one with ``PAGE_CACHE_TIMEOUT=0``; wrk (Debian's package) asks each page
at 1, 4 and 16 connections, gzip and not, sending ``X-Forwarded-Proto: https`` as the reverse
proxy would. For each run: pages per second, p95 latency, and the CPU the server's processes
spent per request (utime + stime from /proc, so wrk's own CPU is not counted). The table gives
the cached server's CPU per request as a share of the uncached one's, the same page and
concurrency: the issue's aim is at most 0.1.

Usage (the environment of the production settings set, as the Makefile does):
``python bench/serve.py [--seconds 5] [--output var/bench/serve.json]``.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CONCURRENCY = (1, 4, 16)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
#: No access log, and no worker replaced in the middle of a run (its CPU would be counted apart).
BENCH_OPTIONS = ("--access-logfile", "/dev/null", "--max-requests", "0")
#: Seconds of load before each measured run: every worker has read its templates and the
#: cached server holds the page.
WARM_SECONDS = 2


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(cache_timeout, workers):
    """A gunicorn master on a free port; returns (process, base URL) once ``/health/`` answers."""
    port = free_port()
    env = {
        **os.environ,
        "PAGE_CACHE_TIMEOUT": str(cache_timeout),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "TLS_CERTIFICATE": "",
        "TLS_KEY": "",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 (fixed executable and arguments)
        [gunicorn, "portal.wsgi", "--config", "gunicorn.conf.py", *BENCH_OPTIONS],
        cwd=PROJECT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/health/", timeout=2).close()  # noqa: S310 (loopback)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start on {base}")


def server_cpu_seconds(master_pid):
    """CPU seconds (user + system) of the master, its live workers and the workers it has
    reaped (proc(5): utime, stime, cutime, cstime)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total = sum(_cpu_ticks(pid, fields=2) for pid in children)
    return (total + _cpu_ticks(master_pid, fields=4)) / CLOCK_TICKS


def _cpu_ticks(pid, fields):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return sum(int(value) for value in stat[11 : 11 + fields])


def wrk(url, connections, seconds, gzip):
    """wrk's figures for ``url`` (``bench/wrk_report.lua``)."""
    headers = {**PROXY_HEADERS, **({"Accept-Encoding": "gzip"} if gzip else {})}
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    command += ["-s", str(PROJECT / "bench" / "wrk_report.lua"), "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1])


def measure(server, url, connections, seconds, gzip):
    process, _base = server
    wrk(url, max(connections, 4), WARM_SECONDS, gzip)
    before = server_cpu_seconds(process.pid)
    figures = wrk(url, connections, seconds, gzip)
    cpu = server_cpu_seconds(process.pid) - before
    requests = max(figures["requests"], 1)
    return {
        "pages_per_second": round(requests / figures["seconds"], 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "cpu_ms_per_request": round(1000 * cpu / requests, 2),
        "failed": figures["errors"] + figures["non_2xx"],
        "requests": requests,
    }


def main_pages(base):
    """The pages measured: home, a country section, a listing with a facet, a report, and a
    search (the engine when the environment names one)."""
    address = f"{base}/api/v1/items/?type=lessons_report&language=en&page_size=1"
    request = urllib.request.Request(address, headers=PROXY_HEADERS)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        report = urllib.parse.urlsplit(json.load(response)["results"][0]["url"]).path
    return {
        "home": "/en/",
        "country": "/en/mali/",
        "listing": "/en/lessons/?theme=protection",
        "report": report,
        "search": "/en/search/?q=water",
    }


def table(results):
    lines = [
        f"{'page':<8} {'conc':>4} {'gzip':>4} | {'uncached p/s':>12} {'p95 ms':>7} {'cpu ms':>7}"
        f" | {'cached p/s':>10} {'p95 ms':>7} {'cpu ms':>7} | {'cpu ratio':>9}"
    ]
    for row in results:
        plain, cached = row["uncached"], row["cached"]
        lines.append(
            f"{row['page']:<8} {row['connections']:>4} {'yes' if row['gzip'] else 'no':>4} | "
            f"{plain['pages_per_second']:>12} {plain['p95_ms']:>7} {plain['cpu_ms_per_request']:>7}"
            f" | {cached['pages_per_second']:>10} {cached['p95_ms']:>7} "
            f"{cached['cpu_ms_per_request']:>7} | {row['cpu_ratio']:>9}"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="seconds per run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1)
    parser.add_argument("--output", default=str(PROJECT / "var" / "bench" / "serve.json"))
    options = parser.parse_args()
    servers = {
        "uncached": start_server(0, options.workers),
        "cached": start_server(600, options.workers),
    }
    try:
        results = run(servers, options.seconds)
    finally:
        for process, _base in servers.values():
            process.terminate()
            process.wait(timeout=30)
    sys.stdout.write(table(results) + "\n")
    Path(options.output).parent.mkdir(parents=True, exist_ok=True)
    Path(options.output).write_text(
        json.dumps({"workers": options.workers, "runs": results}, indent=2)
    )
    sys.stdout.write(f"Figures in {options.output}\n")
    if any(row[kind]["failed"] for row in results for kind in servers):
        raise SystemExit("Some requests failed (see failed in the figures).")


def run(servers, seconds):
    pages = main_pages(servers["cached"][1])
    results = []
    for page, path in pages.items():
        for connections in CONCURRENCY:
            for gzip in (True, False):
                row = {"page": page, "path": path, "connections": connections, "gzip": gzip}
                for kind, server in servers.items():
                    row[kind] = measure(server, f"{server[1]}{path}", connections, seconds, gzip)
                uncached_cpu = row["uncached"]["cpu_ms_per_request"] or 1
                row["cpu_ratio"] = round(row["cached"]["cpu_ms_per_request"] / uncached_cpu, 3)
                results.append(row)
    return results


if __name__ == "__main__":
    main()
