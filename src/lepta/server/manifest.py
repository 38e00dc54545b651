"""What `lepta build` leaves for the server: `target/site/manifest.json`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .config import AppConfig


@dataclass(frozen=True)
class Manifest:
    runtime: str  # micropython or pyodide (auto is resolved at build time)
    runtime_dir: str  # e.g. micropython-1.27.0: the versioned part of its URLs
    runtime_path: str  # the folder its files are served from
    runtime_files: list[str]  # the files of it a page may ask for
    entry: str
    title: str
    loader: str  # file names under site/_lepta/
    bundle: str
    inputs: str  # a hash of everything the bundle was made from, to spot staleness
    style: str = ""  # the app's stylesheet under site/_lepta/, if it has one

    @property
    def build_id(self) -> str:
        """What tells this build from others: the content hash in the bundle's name
        (`bundle-HASH.bin`), so a build the browser cannot tell apart has the same id.
        Pages send it with their server-function calls (see `_skew`)."""
        stem = self.bundle.partition(".")[0]
        return stem.rpartition("-")[2] or self.inputs

    def built_files(self) -> list[str]:
        """The names of the files this build wrote under site/_lepta/."""
        return [name for name in (self.loader, self.bundle, self.style) if name]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def read_manifest(config: AppConfig) -> Manifest | None:
    """The app's last build, or None if it has none (or an unreadable one)."""
    try:
        data = json.loads((config.site / "manifest.json").read_text())
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None
