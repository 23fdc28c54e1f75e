"""`maatwerk backup` / `maatwerk restore` on the configured database (SQLite and PostgreSQL in CI)."""

from __future__ import annotations

import io
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maatwerk.schools.models import School
from maatwerk.students.models import Student
from tests.factories import SchoolFactory, StudentFactory


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "examenbank").mkdir(parents=True)
    (tmp_path / "media" / "examenbank" / "toets.txt").write_text("voorbeeldtoets")
    school = SchoolFactory(name="Back-up College")
    StudentFactory(school=school, last_name="Vermeulen")
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("maatwerk-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "media/examenbank/toets.txt" in names

    # after the backup: a student is deleted, another added, a file changed
    Student.objects.filter(last_name="Vermeulen").delete()
    StudentFactory(school=school, last_name="NaDeBackup")
    (tmp_path / "media" / "examenbank" / "toets.txt").write_text("gewijzigd")

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert Student.objects.filter(last_name="Vermeulen").exists()
    assert not Student.objects.filter(last_name="NaDeBackup").exists()
    assert School.objects.filter(name="Back-up College").count() == 1
    assert (tmp_path / "media" / "examenbank" / "toets.txt").read_text() == "voorbeeldtoets"


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    bogus = tmp_path / "niet-een-backup.tar.gz"
    bogus.write_bytes(b"dit is geen archief")
    before = School.objects.count()
    with pytest.raises(CommandError, match="geen leesbare Maatwerk-back-up"):
        call_command("restore", str(bogus), yes=True)
    assert School.objects.count() == before
