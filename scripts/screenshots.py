"""Screenshot pages of a built site in headless Chromium: `python scripts/screenshots.py SITE OUT PAGE[#frag][=NAME]...`.

Each page is taken at phone (360 px) and desktop (1280 px) width, in the light scheme unless --scheme says
otherwise; files are named NAME-WIDTH-SCHEME.png. The README's images come from scripts/readme_screenshots.sh.
"""
import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WIDTHS = {"phone": 360, "desktop": 1280}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--scheme", choices=["light", "dark"], action="append")
    parser.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for scheme in args.scheme or ["light"]:
            for label, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
                for spec in args.pages:
                    target, _, name = spec.rpartition("=") if spec.count("=") > ("?" in spec) else (spec, "", "")
                    path, hash_mark, fragment = target.partition("#")
                    path, question, query = path.partition("?")
                    page.goto((args.site.resolve() / path).as_uri() + question + query + hash_mark + fragment)
                    page.wait_for_load_state("networkidle")
                    name = name or target.replace("/", "_").replace("#", "@").replace(".html", "")
                    page.screenshot(path=args.out / f"{name}-{label}-{scheme}.png", full_page=args.full)
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
