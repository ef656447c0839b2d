"""Third-party front-end files (htmx, ECharts, Leaflet), installed by npm at set-up.

Only the files named in ``SIHAI_VENDOR_FILES`` are served and collected (not the
packages' whole ``dist`` folders, which hold megabytes of source maps and
variants). Pages must work without them (a checkout where `npm ci` did not run,
a locked-down network): a template asks for an asset by name and gets nothing
when it is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import FileSystemStorage


class _PrefixedStorage(FileSystemStorage):
    """A folder of one npm package, published under a static prefix such as vendor/htmx."""

    def __init__(self, location: Path, prefix: str) -> None:
        super().__init__(location=str(location))
        self.prefix = prefix


class VendorFinder(BaseFinder):
    """Finds the named npm files: static path ``vendor/htmx/htmx.min.js`` → node_modules file."""

    def _files(self) -> Iterator[tuple[str, Path]]:
        root = Path(settings.NODE_MODULES_DIR)
        for static_path, package_path in settings.SIHAI_VENDOR_FILES.items():
            source = root / package_path
            if source.is_file():
                yield static_path, source

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        for static_path, source in self._files():
            if static_path == path:
                return [str(source)] if find_all else str(source)
        # Not None: django.contrib.staticfiles.finders.find() would count [None] as a match.
        # Django's own finders also answer "nothing" with an empty list in both modes.
        return []

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for static_path, source in self._files():
            prefix, _, name = static_path.rpartition("/")
            yield name, _PrefixedStorage(source.parent, prefix)


@cache
def vendor_path(name: str) -> str | None:
    """The static path of a named asset, or None when that library is not installed."""
    path: str | None = settings.SIHAI_VENDOR_ASSETS.get(name)
    if path is None:
        return None
    if finders.find(path):
        return path
    # In production the files are collected (and hashed) into STATIC_ROOT instead.
    if settings.STATIC_ROOT and staticfiles_storage.exists(path):
        return path
    return None
