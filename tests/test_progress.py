"""Build progress: a bar on a terminal only, stage timings with --verbose, plain logs elsewhere."""
import io

from annals.pipeline import BuildOptions, build
from annals.progress import TerminalProgress

from conftest import SEEDS


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_bar_once_the_build_is_slow_enough(tmp_path):
    screen = Terminal()
    progress = TerminalProgress(delay=0, stream=screen)
    build(BuildOptions(source=SEEDS, output=tmp_path / "site"), progress=progress)
    progress.close()
    assert "reading sources" in screen.getvalue() and "━" in screen.getvalue()


def test_a_quick_build_or_a_log_file_gets_no_bar(tmp_path):
    for stream, delay in ((Terminal(), 60.0), (io.StringIO(), 0)):
        progress = TerminalProgress(delay=delay, stream=stream)
        build(BuildOptions(source=SEEDS, output=tmp_path / "site"), clean=True, progress=progress)
        progress.close()
        assert stream.getvalue() == ""


def test_verbose_names_each_stage_with_its_time(tmp_path):
    log = io.StringIO()
    progress = TerminalProgress(verbose=True, stream=log)
    build(BuildOptions(source=SEEDS, output=tmp_path / "site"), progress=progress)
    progress.close()
    stages = [line.split(":")[1].strip() for line in log.getvalue().splitlines()]
    assert stages == ["reading sources", "rendering documents", "index pages, search index and exports", "writing"]
