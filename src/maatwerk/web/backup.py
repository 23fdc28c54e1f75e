"""Backup and restore of the whole installation: the database and the uploaded files.

A backup is one .tar.gz with `manifest.json`, the database (`database.sqlite3`, made with SQLite's
online backup API, or `database.pgdump`, made with pg_dump's custom format) and `media/`.
Restoring replaces the database and the uploaded files with the backup's, after checking that the
backup was made from the same kind of database.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

import maatwerk

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Back-up van database '{vendor}' wordt niet ondersteund.")
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    args = ["-h", s.get("HOST") or "localhost", "-p", str(s.get("PORT") or 5432), "-U", s.get("USER") or "postgres"]
    return args, env


def _migration_state() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def create_backup(destination: Path) -> Path:
    """Write a backup archive to `destination` (a file path or a folder)."""
    engine = _engine()
    destination = Path(destination)
    if destination.is_dir() or not destination.suffix:
        destination.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = destination / f"maatwerk-{stamp}.tar.gz"
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if engine == "sqlite":
            db_file = tmp / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            with target:
                connection.connection.backup(target)
            target.close()
        else:
            db_file = tmp / "database.pgdump"
            args, env = _pg_env()
            subprocess.run(["pg_dump", *args, "-Fc", "--no-owner", "-f", str(db_file),
                            connection.settings_dict["NAME"]], check=True, env=env, capture_output=True)
        manifest = {
            "format": FORMAT_VERSION, "engine": engine, "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "maatwerk_version": maatwerk.__version__, "migrations": _migration_state(),
        }
        tmp_archive = destination.with_suffix(".partial")
        with tarfile.open(tmp_archive, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
        tmp_archive.replace(destination)  # never a half-written backup under the final name
    return destination


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("Dit bestand is geen Maatwerk-back-up (manifest.json ontbreekt).")
        return json.load(member)


def restore_backup(archive: Path) -> dict:
    """Replace the database and uploaded files with those of `archive`."""
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"Bestand niet gevonden: {archive}")
    try:
        manifest = read_manifest(archive)
    except (tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise BackupError("Dit bestand is geen geldige Maatwerk-back-up.") from exc
    engine = _engine()
    if manifest.get("engine") != engine:
        raise BackupError(
            f"Deze back-up is van een {manifest.get('engine')}-database; de huidige database is {engine}."
        )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        if engine == "sqlite":
            source = sqlite3.connect(tmp / "database.sqlite3")
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            args, env = _pg_env()
            for alias in connections:
                if alias != "default":
                    connections[alias].close()
            subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                            "-d", connection.settings_dict["NAME"], str(tmp / "database.pgdump")],
                           check=True, env=env, capture_output=True)
        media_src = tmp / "media"
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if media_src.exists():
            shutil.copytree(media_src, media)
    return manifest
