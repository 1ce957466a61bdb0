"""What a build shows while it runs: a progress bar on a terminal, stage timings with --verbose."""
from __future__ import annotations

import sys
import time


class TerminalProgress:
    """A progress bar (rich) on the terminal, for builds that last more than `delay` seconds; nothing
    before that, and nothing at all when the output is not a terminal (CI logs stay clean)."""

    def __init__(self, delay: float = 1.0, verbose: bool = False, stream=None, bar: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = bar and self.stream.isatty()
        self.verbose = verbose
        self.delay = delay
        self.started = self.stage_started = time.monotonic()
        self.stage = ""
        self.bar = None
        self.task = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self._next_stage(stage, total)
        if self.bar is None and self.enabled and time.monotonic() - self.started >= self.delay:
            self._start_bar()
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=max(total, 1))

    def _next_stage(self, stage: str, total: int) -> None:
        now = time.monotonic()
        if self.verbose and self.stage:
            self._say(f"annals: {self.stage}: {now - self.stage_started:.2f} s")
        self.stage, self.stage_started = stage, now
        if self.bar is not None:
            self.bar.update(self.task, description=stage, completed=0, total=max(total, 1))

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
        self.bar.start()
        self.task = self.bar.add_task(self.stage, total=1)

    def _say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, highlight=False, markup=False)
        else:
            print(line, file=self.stream)

    def close(self) -> None:
        if self.verbose and self.stage:
            self._say(f"annals: {self.stage}: {time.monotonic() - self.stage_started:.2f} s")
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
