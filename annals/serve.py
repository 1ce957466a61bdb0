"""`annals serve`: build, serve the site on localhost, rebuild on every save and reload the open pages.

The site on disk stays exactly what `annals build` makes; only the pages this server sends carry one more
script, which asks every 300 ms whether a new build is out (and reloads) or a build failed (and shows the
error over the page, while the last good site stays served).
"""
from __future__ import annotations

import http.server
import json
import mimetypes
import os
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import watchfiles

from .fixity import MANIFEST
from .i18n import strings
from .config import ConfigError
from .pipeline import BuildOptions, SourceChanged, TemplateFailed, build
from .write import UnsafeOutput

LIVE = "/__annals__/"
LIVE_TAG = b'<script src="/__annals__/live.js" defer></script>\n'
EDITORS_LITTER = watchfiles.DefaultFilter()  # swap files, .git, __pycache__ and the like: not changes


class LiveState:
    """What the open pages poll: the number of the last published build and the last error (with the
    archive's own absolute paths taken out: `hide`)."""

    def __init__(self, hide: tuple[str, ...] = ()):
        self._lock = threading.Lock()
        self.build = 0
        self.error = ""
        self.hide = hide
        self.heading = strings("en")["live_failed"]  # the overlay's first line, in the site's language

    def _shown(self, error: str) -> str:
        for prefix in self.hide:
            error = error.replace(prefix, "")
        return error

    def published(self, error: str = "") -> None:
        with self._lock:
            self.build += 1
            self.error = self._shown(error)

    def failed(self, error: str) -> None:
        with self._lock:
            self.error = self._shown(error)

    def speak(self, language: str) -> None:
        """Word the overlay in `language`, the site's (English when it has no catalogue)."""
        with self._lock:
            self.heading = strings(language)["live_failed"]

    def script(self) -> bytes:
        with self._lock:
            return (f"annalsLive({self.build}, {json.dumps(self.error)}, {json.dumps(self.heading)});\n"
                    .encode("utf-8"))


def live_script() -> bytes:
    return resources.files("annals.live").joinpath("live.js").read_bytes()


def inject(html: bytes) -> bytes:
    """The page with the live-preview script added to its head (or at its start if it has none)."""
    at = html.find(b"</head>")
    return html[:at] + LIVE_TAG + html[at:] if at >= 0 else LIVE_TAG + html


WILDCARDS = {"", "0.0.0.0", "::"}  # listening on every address: the user chose to be reached by any name


def handler(site: Callable[[], Path], state: LiveState, host: str) -> type[http.server.BaseHTTPRequestHandler]:
    """A request handler serving the site (`site()`: the output folder of the last build, read afresh on
    every request) with the live-preview script. It answers only to the address it listens on and to
    loopback names (a rebinding DNS name is refused), sends nothing another origin may embed, and serves
    the site's files alone: no folder listings, no hidden files, no link leading out of the site, the
    site's own 404.html for what is not there."""
    names = None if host in WILDCARDS else {host, "localhost", "127.0.0.1", "[::1]", f"[{host}]"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — the name http.server calls
            self._answer(body=True)

        def do_HEAD(self):  # noqa: N802
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            self.body = body
            if names is not None and self._host() not in names:
                return self._send(b"This preview answers to its own address only.\n", "text/plain", 403)
            path = unquote(self.path.split("?", 1)[0].split("#", 1)[0])
            if "\x00" in path or not path.startswith("/"):
                return self._send(b"Bad request.\n", "text/plain", 400)
            if path == LIVE + "live.js":
                return self._send(live_script(), "text/javascript")
            if path == LIVE + "state.js":
                return self._send(state.script(), "text/javascript")
            root = site().resolve()
            parts = [part for part in path.split("/") if part]
            if any(part.startswith(".") for part in parts):
                return self._not_found(root)
            target = root.joinpath(*parts)
            if path.endswith("/") or target.is_dir():
                target = target / "index.html"
            try:
                real = target.resolve()
                if not real.is_relative_to(root) or not real.is_file():
                    return self._not_found(root)
                data = real.read_bytes()
            except OSError:  # swapped away by a rebuild, or not ours to read
                return self._not_found(root)
            if real.suffix == ".html":
                return self._send(inject(data), "text/html; charset=utf-8")
            return self._send(data, mimetypes.guess_type(real.name)[0] or "application/octet-stream")

        def _host(self) -> str:
            given = (self.headers.get("Host") or "").strip().lower()
            name, _, port = given.rpartition(":") if given.count(":") == 1 or given.startswith("[") else (given, "", "")
            if port and port != str(self.server.server_address[1]):
                return ""
            return name if port else given

        def _not_found(self, root: Path) -> None:
            try:
                page = inject((root / "404.html").read_bytes())
            except OSError:
                page = b"Not found.\n"
            self._send(page, "text/html; charset=utf-8", 404)

        def _send(self, data: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.body:
                self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 — the signature http.server uses
            pass  # one line per build is printed instead

    return Handler


@dataclass(frozen=True)
class Watched:
    """What a rebuild depends on (the folders to watch), and the output, whose changes are our own."""

    folders: tuple[Path, ...]
    output: Path

    @classmethod
    def of(cls, options: BuildOptions, root: Path) -> "Watched":
        folders = {root.resolve(), options.source.resolve(), options.gazetteer.resolve().parent}
        return cls(tuple(sorted(folders)), options.output.resolve())

    def concerns(self, change, path: str) -> bool:
        """False for the site, its cache and staging trees (`.site.*` beside it) and editors' litter."""
        here = Path(os.path.abspath(path))
        if here.is_relative_to(self.output):
            return False
        if here.is_relative_to(self.output.parent) and here != self.output.parent:
            first = here.relative_to(self.output.parent).parts[0]
            if first.startswith(f".{self.output.name}."):
                return False
        return EDITORS_LITTER(change, path)


def serve(make_options: Callable[[], BuildOptions], root: Path, host: str = "127.0.0.1", port: int = 8000,
          say: Callable[[str], None] = print, stop: threading.Event | None = None, clean: bool = False) -> None:
    """Build, serve on http://host:port/, and rebuild on every change until `stop` is set (or Ctrl-C);
    `clean`: the first build ignores the build cache, as `annals build --clean`."""
    stop = stop or threading.Event()
    state = LiveState(hide=tuple(dict.fromkeys((str(root.resolve()) + os.sep, os.getcwd() + os.sep))))
    options = _rebuild(make_options, state, say, clean)
    if options is None:
        raise SystemExit(2)  # nothing to serve: the first build failed before it knew its folders
    current = {"options": options}  # the last build's: `output:` may change in annals.yaml
    server = http.server.ThreadingHTTPServer((host, port), handler(lambda: current["options"].output, state, host))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"annals: serving {options.output} at http://{host}:{server.server_address[1]}/ — "
        "rebuilding on every change (Ctrl-C stops)")
    try:
        while not stop.is_set():
            watched, caught_up = Watched.of(options, root), False
            for changes in watchfiles.watch(*watched.folders, watch_filter=watched.concerns, stop_event=stop,
                                            debounce=300, step=50, rust_timeout=500, yield_on_timeout=True):
                if not changes and caught_up:
                    continue
                # The first quiet moment after the watcher started: catch up with saves made before it
                # was watching (a no-op when there were none).
                caught_up = True
                options = _rebuild(make_options, state, say) or options
                current["options"] = options
                if Watched.of(options, root) != watched:
                    break  # the configuration moved a folder: watch the new ones
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


def _rebuild(make_options, state: LiveState, say, clean: bool = False) -> BuildOptions | None:
    """One build; its outcome goes to the terminal and to the open pages. Returns the options it used
    (None when the configuration itself could not be read)."""
    started = time.monotonic()
    options = before = None
    try:
        options = make_options()
        state.speak(options.language)
        before = _site_version(options)
        report = build(options, clean=clean)
    except Exception as error:  # noqa: BLE001 — any failure is shown; the last good site stays served
        if isinstance(error, (ConfigError, UnsafeOutput, SourceChanged, TemplateFailed)):
            message = str(error)  # ours: they say what is wrong and what to do
        else:
            message = f"{type(error).__name__}: {error}"
        say(f"annals: build failed — {message}")
        state.failed(message)
        return options
    errors = "\n".join(str(p) for p in report.skipped)
    if report.published and _site_version(options) == before and state.error == errors:
        return options  # nothing changed: the open pages stay as they are
    if not report.published:
        problems = "\n".join(str(p) for p in report.problems[:20])
        say(f"annals: {report.summary()}\n{problems}")
        state.failed(f"{report.summary()}\n{problems}")
        return options
    say(f"annals: {report.summary()} in {time.monotonic() - started:.2f} s" + (f"\n{errors}" if errors else ""))
    state.published(errors)
    return options


def _site_version(options: BuildOptions) -> tuple:
    """Changes whenever a build changes the site: its manifest is rewritten exactly then."""
    try:
        stat = (options.output / MANIFEST).stat()
    except OSError:
        return ()
    return stat.st_ino, stat.st_mtime_ns
