"""Schemathesis against /api/schema/ of a live Maatwerk with the demo data (run by .ci/run).

    .venv/bin/python tests/security/run_schemathesis.py [--max-examples N] [--keep DIR]

1. a fresh SQLite database in a temporary folder: `maatwerk migrate`, `maatwerk loaddemo`;
2. gunicorn serves it on 127.0.0.1 (DEBUG off, as in production, without the TLS redirect);
3. an API token for the demo schoolleider, with the demo staff's one-time code (web.demo.demo_totp_code);
4. `schemathesis run` over every operation of the schema, with that token: the schema's examples and
   fuzzing, --max-examples cases per operation (CI: 10; `--phases examples,coverage,fuzzing` adds the
   boundary-value phase, which takes some minutes more). The checks (schemathesis.toml): no server
   error (5xx), every response conforms to the schema (body and content type).

Exits with schemathesis' exit code; prints the server's log of 5xx errors when there are any. The JUnit
report goes to <tmp>/report/ (or --keep DIR).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
USER = "schoolleider@hetbaken.demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def token(base: str, env: dict) -> str:
    code = subprocess.run(
        [str(BIN / "python"), "-c", "import django; django.setup(); "
                                    "from maatwerk.web.demo import demo_totp_code; print(demo_totp_code())"],
        env={**env, "DJANGO_SETTINGS_MODULE": "maatwerk.settings"}, check=True, capture_output=True, text=True,
    ).stdout.strip()
    body = json.dumps({"username": USER, "password": "maatwerk-demo", "otp": code}).encode()
    request = urllib.request.Request(f"{base}/api/v1/accounts/token/", data=body, method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        return json.load(response)["token"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--phases", default="examples,fuzzing", help="e.g. examples,coverage,fuzzing")
    parser.add_argument("--keep", help="keep the database and reports in this folder")
    parser.add_argument("extra", nargs="*", help="more arguments for `schemathesis run` (after --)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="maatwerk-schemathesis-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'schemathesis.sqlite3'}", "DEBUG": "0",
           "SECRET_KEY": "schemathesis-run-not-a-secret", "SECURE_SSL_REDIRECT": "0",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "MAATWERK_VAR_DIR": str(work)}
    started = time.monotonic()
    if not (work / "schemathesis.sqlite3").exists():
        subprocess.run([str(BIN / "maatwerk"), "migrate", "-v0"], env=env, check=True)
        subprocess.run([str(BIN / "maatwerk"), "loaddemo"], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"demo database ready in {time.monotonic() - started:.0f} s", flush=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "server.log").open("w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "maatwerk.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                               "--timeout", "120", "--access-logfile", "-", "--error-logfile", "-"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"{base}/api/schema/?format=json")
        key = token(base, env)
        command = [str(BIN / "schemathesis"), "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
                   "run", f"{base}/api/schema/?format=json",
                   "-H", f"Authorization: Token {key}",
                   "--phases", args.phases, "--max-examples", str(args.max_examples),
                   "--workers", "2", "--seed", "9", "--no-color", "--request-timeout", "60",
                   "--report", "junit", "--report-dir", str(work / "report"), *args.extra]
        result = subprocess.run(command, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    errors = [line for line in (work / "server.log").read_text().splitlines() if '" 50' in line or "Traceback" in line]
    if errors:
        print("server errors (see the full log in server.log):", *errors[:40], sep="\n  ")
    print(f"schemathesis finished in {time.monotonic() - started:.0f} s with exit code {result.returncode}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
