"""An import killed in the middle (SIGKILL: no handler, no cleanup, like a power cut or the OOM killer)
leaves nothing of itself in the database.

A real `maatwerk schools import leerlingen FILE --apply` runs in a subprocess against a database of its
own: a copy of the migrated test database (SQLite: a file; PostgreSQL, when DATABASE_URL says so: a new
database from the test database as template). A `sitecustomize` module on the subprocess's PYTHONPATH
counts the INSERTs into the students table; after KILL_AFTER of them it writes a marker file and waits,
with the import's transaction open. The test then kills the process with SIGKILL and checks:

* none of the file's students is in the database (the rows it had already inserted are gone),
* the database is intact (SQLite: PRAGMA integrity_check),
* the same command without the hook imports every row (the file was fine; the kill was the only cause).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, connections

ROWS = 1200
KILL_AFTER = 300
BRIN = "99ZZ"
LEADER = "leider@killtest.example"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOOK = textwrap.dedent('''
    """Test hook (tests/security/test_kill_import.py): pause the import after KILL_AFTER inserts."""
    import os

    if os.environ.get("MAATWERK_KILL_AFTER"):
        from django.db.backends.signals import connection_created

        def _install(sender, connection, **kwargs):
            state = {"n": 0}
            limit = int(os.environ["MAATWERK_KILL_AFTER"])
            marker = os.environ["MAATWERK_KILL_MARKER"]

            def pause_mid_import(execute, sql, params, many, context):
                result = execute(sql, params, many, context)
                if sql.lstrip().upper().startswith("INSERT") and "students_student" in sql:
                    state["n"] += len(params) if many else 1
                    if state["n"] >= limit:
                        with open(marker, "w") as fh:
                            fh.write(str(state["n"]))
                        import time
                        time.sleep(600)
                return result

            connection.execute_wrappers.append(pause_mid_import)

        connection_created.connect(_install, weak=False)
''')

SEED = textwrap.dedent(f'''
    from maatwerk.accounts.models import Membership, Role, User
    from maatwerk.schools.models import School
    school = School.objects.create(brin="{BRIN}", name="Killtest College", city="Zwolle")
    user = User.objects.create_user("{LEADER}", "geheim-wachtwoord-1")
    Membership.objects.create(user=user, role=Role.SCHOOL_LEADER, school=school)
''')


def _maatwerk() -> str:
    return str(Path(sys.executable).with_name("maatwerk"))


def _env(database_url: str, extra: dict | None = None, hook_dir: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_KILL")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="kill-test-not-secret", DEBUG="0")
    env.pop("TEST_DATABASE_NAME", None)
    if hook_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(hook_dir), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra or {})
    return env


def _run(args: list[str], env: dict, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([_maatwerk(), *args], env=env, capture_output=True, text=True, timeout=timeout)


def _students_file(path: Path) -> Path:
    lines = ["Leerlingnummer;Roepnaam;Achternaam;Leerweg;Leerjaar;Klas"]
    lines += [f"{500000 + i};Leerling{i};Killtest;KB;3;3K{i % 9}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class SqliteCopy:
    def __init__(self, tmp: Path):
        self.path = tmp / "killtest.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def create(self):
        target = sqlite3.connect(self.path)
        connection.ensure_connection()
        connection.connection.backup(target)  # the migrated test database, committed state
        target.close()

    def count(self) -> int:
        with sqlite3.connect(self.path) as db:  # opening it recovers from the killed writer
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return db.execute("SELECT count(*) FROM students_student s JOIN schools_school k ON k.id = s.school_id "
                              "WHERE k.brin = ?", (BRIN,)).fetchone()[0]

    def drop(self):
        pass


class PostgresCopy:
    def __init__(self):
        settings = connection.settings_dict
        self.template = settings["NAME"]
        self.name = f"killtest_{uuid.uuid4().hex[:8]}"
        self.params = {k: v for k, v in {"host": settings["HOST"], "port": settings["PORT"],
                                         "user": settings["USER"], "password": settings["PASSWORD"]}.items() if v}
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        self.url = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{self.name}"

    def _admin(self):
        import psycopg

        return psycopg.connect(dbname="postgres", autocommit=True, **self.params)

    def create(self):
        connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the template without sessions
        with self._admin() as db:
            db.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')

    def count(self) -> int:
        import psycopg

        with psycopg.connect(dbname=self.name, **self.params) as db:
            return db.execute("SELECT count(*) FROM students_student s JOIN schools_school k ON k.id = s.school_id "
                              "WHERE k.brin = %s", (BRIN,)).fetchone()[0]

    def drop(self):
        with self._admin() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def test_an_import_killed_halfway_leaves_nothing(tmp_path):
    copy = PostgresCopy() if connection.vendor == "postgresql" else SqliteCopy(tmp_path)
    copy.create()
    try:
        _check_kill(copy, tmp_path)
    finally:
        copy.drop()


def _check_kill(copy, tmp_path: Path):
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(HOOK)
    seeded = _run(["shell", "-c", SEED], _env(copy.url))
    assert seeded.returncode == 0, seeded.stderr
    csv = _students_file(tmp_path / "leerlingen.csv")
    command = ["schools", "import", "leerlingen", str(csv), "--school", BRIN, "--as", LEADER, "--apply"]

    marker = tmp_path / "halfway"
    env = _env(copy.url, {"MAATWERK_KILL_AFTER": str(KILL_AFTER), "MAATWERK_KILL_MARKER": str(marker)}, hook_dir)
    process = subprocess.Popen([_maatwerk(), *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while not marker.exists():
            assert process.poll() is None, f"the import ended before the kill point: {process.communicate()}"
            assert time.monotonic() < deadline, "the import never reached the kill point"
            time.sleep(0.05)
        inserted = int(marker.read_text() or 0)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert inserted >= KILL_AFTER  # the students were written, in the open transaction, when it died

    assert copy.count() == 0, "students of the killed import are in the database"

    again = _run(command, _env(copy.url))
    assert again.returncode == 0, again.stdout + again.stderr
    assert copy.count() == ROWS
