"""`maatwerk check --deploy` is clean under production settings (the issue's bar), so a new warning,
e.g. from the OpenAPI schema, fails the suite and not only `make check-deploy`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECURE_SSL_REDIRECT", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "maatwerk.example.nl",
                "MAATWERK_VAR_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "-m", "maatwerk", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
