"""The heaviest pages: one client at a time (server time), then 16 concurrent clients against gunicorn.

    .venv/bin/python bench/web.py [--requests 50] [--duration 60] [--clients 16] [--workers 5]

Pages (on the generated data; the school is the largest, school 0):
  gradebook    /toetsing/cijfers/groep/<id>/   a teaching group of 30 students x 25 PTA items (all graded)
  programme    /leerlingen/<id>/programma/     the programme of a student with the most items
  menukaart    /menukaart/?q=zorg              a menukaart search
  removal      /menukaart/beheer/              the steward's page with the removal candidates
  offering     /scholen/aanbod/?school=<id>    the school's offering page (the planning year)

Logins are sessions made in the database by the test client (force_login) with a verified second factor
(accounts.twofactor.mark_verified stores otp_device_id), so gunicorn accepts the same cookies: the
schoolleider of school 0 for the school pages, the steward for the steward page.

Phase 1: every page `--requests` times in turn through Django's test client in this process (after a
warm-up): p50/p95 server time per page and the number of database queries. The two-core limit is
2 / mean (requests per second if both cores did nothing but serve these pages one after another).
Phase 2: gunicorn (`--workers` sync workers) on 127.0.0.1 and wrk with `--clients` connections for
`--duration` seconds over the same pages in turn (after a short warm-up run that is not counted, so every
worker has loaded its templates and regulations): p50/p95/p99 latency, requests/s, errors (non-2xx/3xx,
socket errors) and the ratio of that throughput to the two-core limit. Without wrk a Python load generator
(threads with http.client) is used instead and said so.
"""

from __future__ import annotations

import os

os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

import _setup  # noqa: E402, F401
from _common import emit  # noqa: E402
from maatwerk.accounts.models import Membership, Role  # noqa: E402
from maatwerk.accounts.twofactor import mark_verified  # noqa: E402
from maatwerk.assessment.models import PtaItem  # noqa: E402
from maatwerk.schools.models import School, TeachingGroup  # noqa: E402
from maatwerk.students.models import ProgrammeItem  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    mark_verified(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def targets() -> list[dict]:
    school = School.objects.order_by("pk").first()
    leader = Membership.objects.filter(role=Role.SCHOOL_LEADER, school=school).select_related("user").first().user
    steward = Membership.objects.filter(role=Role.STEWARD).select_related("user").first().user
    groups = (TeachingGroup.objects.filter(school=school).annotate(n=Count("students", distinct=True))
              .select_related("offering__module_version"))
    items_per_module = dict(PtaItem.objects.filter(pta__school=school, pta__cohort=2025)
                            .values_list("module_versions__module_id").annotate(n=Count("pk")).order_by())
    group = max(groups, key=lambda g: (items_per_module.get(g.offering.module_version.module_id, 0), g.n, -g.pk))
    student_id = (ProgrammeItem.objects.filter(programme__student__school=school).values("programme__student_id")
                  .annotate(n=Count("pk")).order_by("-n", "programme__student_id").first()["programme__student_id"])
    school_cookie, steward_cookie = session_cookie(leader), session_cookie(steward)
    return [
        {"name": "gradebook", "path": f"/toetsing/cijfers/groep/{group.pk}/", "cookie": school_cookie,
         "what": f"{group.n} students x {items_per_module.get(group.offering.module_version.module_id, 0)} items"},
        {"name": "programme", "path": f"/leerlingen/{student_id}/programma/", "cookie": school_cookie,
         "what": "a student's programme"},
        {"name": "menukaart", "path": "/menukaart/?q=zorg", "cookie": school_cookie, "what": "search 'zorg'"},
        {"name": "removal", "path": "/menukaart/beheer/", "cookie": steward_cookie, "what": "steward's page"},
        {"name": "offering", "path": f"/scholen/aanbod/?school={school.pk}", "cookie": school_cookie,
         "what": "planning year"},
    ]


def single_client(pages: list[dict], n: int) -> dict:
    out = {}
    for page in pages:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = page["cookie"]
        for _ in range(3):  # warm-up
            response = client.get(page["path"])
        if response.status_code != 200:
            raise SystemExit(f"{page['path']} answered {response.status_code}, not 200")
        times, queries = [], []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(page["path"])
        for _ in range(n):
            start = time.perf_counter()
            client.get(page["path"])
            times.append(time.perf_counter() - start)
        out[page["name"]] = {"p50_ms": round(percentile(times, 50) * 1000, 1),
                             "p95_ms": round(percentile(times, 95) * 1000, 1),
                             "mean_ms": round(statistics.fmean(times) * 1000, 1), "queries": len(queries),
                             "bytes": len(response.content), "path": page["path"], "what": page["what"]}
    return out


LUA = r"""
local pages = %(pages)s
local i = 0
request = function()
  i = i + 1
  local p = pages[(i %% #pages) + 1]
  return wrk.format("GET", p[1], {["Cookie"] = "%(cookie)s=" .. p[2]})
end
done = function(summary, latency, requests)
  io.write(string.format('WRK-JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "status_errors": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"timeout": %%d}\n', summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
"""


def start_gunicorn(workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "PYTHONWARNINGS": "ignore::UserWarning"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "maatwerk.wsgi", "-w", str(workers),
                             "-b", f"127.0.0.1:{port}", "--backlog", "256", "--log-level", "warning"],
                            env=env, cwd=ROOT, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/privacy/", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def check_status(pages, port: int) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for page in pages:
        req = urllib.request.Request(f"http://127.0.0.1:{port}{page['path']}",
                                     headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={page['cookie']}"})
        status = opener.open(req, timeout=30).status
        if status != 200:
            raise SystemExit(f"gunicorn answered {status} for {page['path']}")


def run_wrk(pages, port: int, clients: int, duration: int) -> dict:
    lua = LUA % {"pages": "{" + ", ".join(f'{{"{p["path"]}", "{p["cookie"]}"}}' for p in pages) + "}",
                 "cookie": settings.SESSION_COOKIE_NAME}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua)
    threads = min(2, clients)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{duration}s", "--timeout", "30s",
                          "-s", fh.name, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    os.unlink(fh.name)
    data = json.loads(next(line for line in out.splitlines() if line.startswith("WRK-JSON"))[9:])
    seconds = data["duration_us"] / 1e6
    errors = data["status_errors"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
    return {"tool": "wrk", "requests": data["requests"], "rps": round(data["requests"] / seconds, 1),
            "p50_ms": round(data["p50_us"] / 1000, 1), "p95_ms": round(data["p95_us"] / 1000, 1),
            "p99_ms": round(data["p99_us"] / 1000, 1), "errors": errors, "seconds": round(seconds, 1)}


def run_python_load(pages, port: int, clients: int, duration: int) -> dict:
    import http.client

    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.perf_counter() + duration

    def worker(k):
        i = k
        while time.perf_counter() < stop:
            page = pages[i % len(pages)]
            i += 1
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", page["path"], headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={page['cookie']}"})
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
                conn.close()
            except OSError:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - start)
                errors[0] += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {"tool": "python threads (wrk not found)", "requests": len(latencies),
            "rps": round(len(latencies) / seconds, 1), "p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 95) * 1000, 1), "p99_ms": round(percentile(latencies, 99) * 1000, 1),
            "errors": errors[0], "seconds": round(seconds, 1)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50, help="requests per page, one client")
    parser.add_argument("--duration", type=int, default=60, help="seconds of the concurrent load")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    pages = targets()
    single = single_client(pages, args.requests)
    mean_s = statistics.fmean(p["mean_ms"] for p in single.values()) / 1000
    limit = 2 / mean_s
    print(f"web, one client ({args.requests} requests per page, server time in-process, {connection.vendor}):")
    for name, p in single.items():
        print(f"  {name:10} p50 {p['p50_ms']:7.1f} ms  p95 {p['p95_ms']:7.1f} ms  {p['queries']:3} queries  "
              f"{p['bytes'] / 1024:6.0f} KiB  {p['path']} ({p['what']})")
    print(f"  mean over the pages {mean_s * 1000:.1f} ms: two-core limit 2/mean = {limit:.1f} requests/s")
    connection.close()
    proc = start_gunicorn(args.workers, args.port)
    try:
        check_status(pages, args.port)
        tool = run_wrk if shutil.which("wrk") else run_python_load
        tool(pages, args.port, args.clients, max(3, min(10, args.duration // 4)))  # warm every worker up
        load = tool(pages, args.port, args.clients, args.duration)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    load["ratio_to_limit"] = round(load["rps"] / limit, 2)
    print(f"web, {args.clients} clients for {load['seconds']} s against gunicorn ({args.workers} workers) with "
          f"{load['tool']}: {load['rps']} requests/s, p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, "
          f"p99 {load['p99_ms']} ms, {load['errors']} errors; {load['ratio_to_limit']:.0%} of the two-core limit")
    emit("web", single=single, mean_ms=round(mean_s * 1000, 1), limit_rps=round(limit, 1), load=load,
         clients=args.clients, workers=args.workers)


if __name__ == "__main__":
    main()
