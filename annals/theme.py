"""Where templates and static files come from: the archive's own overrides, then the default theme."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def default_dir(name: str) -> Path:
    """The default theme's `templates` or `static` folder: inside the installed package, or the repo's."""
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the default theme's {name}/ folder is missing from the installation")


def search_path(archive_root: Path | None, name: str) -> list[Path]:
    """Folders to look in, first match wins: `<archive>/<name>/`, then the default theme."""
    default = default_dir(name)
    own = archive_root / name if archive_root else None
    if own and own.is_dir() and own.resolve() != default.resolve():
        return [own, default]
    return [default]


def static_files(folders: list[Path]) -> dict[str, Path]:
    """Site path → file for every static file; a file in an earlier folder shadows the same path later."""
    files: dict[str, Path] = {}
    for folder in reversed(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and "__pycache__" not in path.parts:
                files[path.relative_to(folder).as_posix()] = path
    return dict(sorted(files.items()))
