"""maatwerk.rules is pure Python: importing every module of it never imports Django (DESIGN, "Functional core")."""

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import maatwerk.rules as rules
names = [m.name for m in pkgutil.walk_packages(rules.__path__, 'maatwerk.rules.')]
for name in names:
    importlib.import_module(name)
assert len(names) >= 8, names
leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))
print(len(names), leaked)
sys.exit(1 if leaked else 0)
"""


def test_no_module_of_the_rules_package_imports_django():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("[]")


def test_the_regulation_files_ship_inside_the_package():
    from importlib import resources

    names = sorted(p.name for p in resources.files("maatwerk.rules").joinpath("regulations").iterdir())
    assert "vmbo-huidig.toml" in names
    assert "spv-modulair.toml" in names
