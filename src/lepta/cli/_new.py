"""`lepta new NAME`: a new app, ready to run and to test, from a template.

    basic      a counter: app.py, style.css, public/favicon.ico, tests, README
    fullstack  notes kept in SQLite through server functions, on two routes

The templates are folders of this package (templates/NAME/). A file whose name ends
in `.tmpl` is written without that suffix, its `${project}`, `${title}` and
`${title_str}` (the title as a string literal, for Python and TOML) filled in; a name
starting with `dot-` is written with a dot (`dot-gitignore` -> `.gitignore`); every
other file is copied as it is. (Python files are templates too, so that the
package's own checks do not take them for modules of lepta.)
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

from ..reactive import LeptaError

TEMPLATES = ("basic", "fullstack")
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


class NewProjectError(LeptaError, ValueError):
    """The new app's folder cannot be made."""


def new_project(name: str, template: str = "basic") -> Path:
    """Make the app `name` (a folder, made here) from `template`; its folder."""
    if template not in TEMPLATES:
        raise NewProjectError(
            "no template %r: choose one of %s" % (template, ", ".join(TEMPLATES))
        )
    folder = Path(name)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewProjectError(
            "%s already exists and is not empty: nothing was written; give a new "
            "folder's name" % folder
        )
    title = folder.resolve().name
    project = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower() or "lepta-app"
    values = {"project": project, "title": title, "title_str": json.dumps(title)}
    source = TEMPLATE_DIR / template
    files = sorted(path for path in source.rglob("*") if path.is_file())
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        rel = path.relative_to(source)
        if "__pycache__" in rel.parts:
            continue
        target = folder.joinpath(*(_target_name(part) for part in rel.parts))
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.name.endswith(".tmpl"):
            text = string.Template(path.read_text(encoding="utf-8")).safe_substitute(values)
            target.write_text(text, encoding="utf-8")
        else:
            target.write_bytes(path.read_bytes())
    return folder


def _target_name(part: str) -> str:
    if part.startswith("dot-"):
        part = "." + part[len("dot-") :]
    return part.removesuffix(".tmpl")
