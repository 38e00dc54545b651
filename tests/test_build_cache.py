"""The build cache: a build after an edit strips and compiles only what changed."""

import textwrap

import pytest

from app_folders import make_app
from lepta.build import bundle
from lepta.build.cache import BuildCache
from lepta.server import load_config
from lepta.server.manifest import read_manifest

WIDGETS = '''
from lepta import component
from lepta.html import p


@component
def Widget():
    return p("first text", class_="widget")
'''
ENTRY = '''
from widgets import Widget

from lepta import component
from lepta.html import div


@component
def App():
    return div(Widget())
'''


class Runs:
    """Counts the real work of a build: modules stripped, mpy-cross runs, checks."""

    def __init__(self, monkeypatch):
        self.stripped = []
        self.compiled = []
        self.checks = 0
        strip, compile_mpy, run_check = (
            bundle.strip_server_code, bundle.compile_mpy, bundle._run_check
        )

        def counted_strip(module, source, filename):
            self.stripped.append(module)
            return strip(module, source, filename)

        def counted_compile(rel, path):
            self.compiled.append(rel)
            return compile_mpy(rel, path)

        def counted_check(*args):
            self.checks += 1
            return run_check(*args)

        monkeypatch.setattr(bundle, "strip_server_code", counted_strip)
        monkeypatch.setattr(bundle, "compile_mpy", counted_compile)
        monkeypatch.setattr(bundle, "_run_check", counted_check)

    def app_work(self):
        """What was done for the app's own modules. (Lepta's modules are left out: in
        a working tree they may be edited while the test runs.)"""
        compiled = [rel for rel in self.compiled if not rel.startswith("lepta/")]
        return self.stripped, compiled


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    """A build cache of the test's own (the shared one may hold these modules)."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(bundle, "build_cache", lambda config: BuildCache(folder))
    return folder


@pytest.fixture
def app(tmp_path):
    folder = make_app(tmp_path / "cached", ENTRY)
    (folder / "widgets.py").write_text(textwrap.dedent(WIDGETS))
    return folder


def bundle_of(config):
    manifest = read_manifest(config)
    return bundle.unpack((config.site / "_lepta" / manifest.bundle).read_bytes())


def test_a_first_build_strips_and_compiles_every_module_once(app, monkeypatch):
    runs = Runs(monkeypatch)
    config = load_config(app)
    bundle.build(config)
    assert sorted(runs.stripped) == ["counter_app", "widgets"]
    assert len(runs.compiled) == len(bundle_of(config))  # every module of the bundle
    assert runs.checks == 1


def test_a_build_of_an_unchanged_app_does_no_work_again(app, monkeypatch):
    config = load_config(app)
    bundle.build(config)
    runs = Runs(monkeypatch)
    bundle.build(config)
    assert runs.app_work() == ([], [])


def test_an_edit_of_one_module_strips_and_compiles_that_module_only(
    app, monkeypatch, cache_folder
):
    config = load_config(app)
    bundle.build(config)
    runs = Runs(monkeypatch)
    widgets = app / "widgets.py"
    widgets.write_text(widgets.read_text().replace("first text", "second text"))
    cache = BuildCache(cache_folder)
    bundle.build(config, cache=cache)
    assert runs.app_work() == (["widgets"], ["widgets.py"])
    assert runs.checks == 1  # the set of modules is new: checked under MicroPython again
    assert (cache.made["mpy"], cache.reused["mpy"]) == (1, len(bundle_of(config)) - 1)
    assert b"second text" in bundle_of(config)["widgets.mpy"]


def test_a_cached_build_is_the_same_bundle_as_a_fresh_one(app, tmp_path):
    config = load_config(app)
    bundle.build(config)
    widgets = app / "widgets.py"
    widgets.write_text(widgets.read_text().replace("first text", "second text"))
    bundle.build(config)
    cached = bundle_of(config)
    fresh = make_app(tmp_path / "fresh", ENTRY)
    (fresh / "widgets.py").write_text(widgets.read_text())
    fresh_config = load_config(fresh)
    bundle.build(fresh_config)
    assert bundle_of(fresh_config) == cached


def test_going_back_to_an_earlier_text_reuses_its_compiled_module(app, monkeypatch):
    config = load_config(app)
    widgets = app / "widgets.py"
    first = widgets.read_text()
    bundle.build(config)
    widgets.write_text(first.replace("first text", "second text"))
    bundle.build(config)
    runs = Runs(monkeypatch)
    widgets.write_text(first)
    bundle.build(config)
    assert runs.app_work() == ([], [])


def test_a_development_build_is_not_precompressed_and_not_served_as_current(app, monkeypatch):
    config = load_config(app)
    runs = Runs(monkeypatch)
    manifest = bundle.build(config, development=True)
    assert runs.checks == 0  # left to `lepta dev`, which runs it beside the reload
    folder = config.site / "_lepta"
    assert (folder / manifest.bundle).exists()
    assert not (folder / (manifest.bundle + ".br")).exists()
    served = bundle.ensure_built(config)  # what `lepta serve` does
    assert served.inputs != manifest.inputs and not served.inputs.startswith("development")
    assert (folder / (served.bundle + ".br")).exists()
    assert (folder / (served.bundle + ".gz")).exists()
    assert runs.checks == 1


def test_entries_no_build_has_used_for_long_are_deleted(app, cache_folder):
    config = load_config(app)
    cache = BuildCache(cache_folder)
    bundle.build(config, cache=cache)
    assert list(cache_folder.rglob("*.mpy"))
    cache.prune(keep_seconds=-1)
    assert [p for p in cache_folder.rglob("*") if p.is_file()] == []
