"""Take full-page screenshots of Maatwerk pages with Debian's Chromium (Playwright for Python).

    python scripts/screenshot.py --base http://127.0.0.1:8000 [--login EMAIL] /kern/=docs/kern.png /menukaart/=out.png

Logs in with the demo password when --login is given. Used for docs/ and to look at pages.
"""

from __future__ import annotations

import argparse
import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--login", default=None)
    parser.add_argument("--password", default="maatwerk-demo")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full", action="store_true", help="full page")
    parser.add_argument("shots", nargs="+", help="PATH=FILE.png")
    args = parser.parse_args(argv)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        if args.login:
            page.goto(f"{args.base}/account/inloggen/")
            page.fill("#id_username", args.login)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            if "/account/tweestaps/" in page.url:
                # demo staff share the documented demo TOTP secret (see README)
                from django_otp.oath import totp

                key = bytes.fromhex(b"maatwerk-demo-totp!!".hex())
                page.fill("#id_code", f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}")
                page.click("form.stack button[type=submit]")
                page.wait_for_load_state("networkidle")
        for shot in args.shots:
            path, _, out = shot.rpartition("=")
            page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out, full_page=args.full)
            print(out)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
