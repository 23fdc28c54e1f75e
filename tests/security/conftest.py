"""Print the size and the result of the authorisation matrix at the end of the run."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_authz_matrix import REPORT

    if not REPORT:
        return
    tr = terminalreporter
    tr.section("authorisation matrix (accounts/policy.py)")
    tr.write_line(f"{REPORT['cases']} (route, relation, method) cases checked: {REPORT['pages']} pages and "
                  f"{REPORT['operations']} API operations x {REPORT['relations']} relations, "
                  f"in {REPORT['seconds']:.0f} s")
    tr.write_line("  " + ", ".join(f"{k}: {n}" for k, n in REPORT["by_outcome"].items()))
    tr.write_line("  slowest routes: " + ", ".join(f"{k} {v:.1f} s" for k, v in REPORT["slowest"]))
    tr.write_line(f"  unexpected allowances or leaks: {REPORT['allowances']}; other differences: "
                  f"{REPORT['problems'] - REPORT['allowances']}")
