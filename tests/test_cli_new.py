"""`lepta new`: a project folder, ready to run, whose own tests pass.

The generated projects' tests run with this project's interpreter (where lepta,
pytest, playwright and httpx2 are installed), in the project's folder, which its
pytest settings put on sys.path (`pythonpath = ["."]`): nothing is pip-installed.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lepta(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "lepta.cli", *args], capture_output=True, text=True, cwd=cwd
    )


def run_its_tests(folder):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def settings(folder):
    return tomllib.loads((folder / "pyproject.toml").read_text())


def test_a_basic_project_is_a_counter_whose_own_tests_pass(tmp_path):
    result = lepta("new", "my_counter", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "my_counter"
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {
        ".gitignore", "README.md", "app.py", "pyproject.toml", "style.css",
        "public/favicon.ico", "tests/test_app.py", "tests/test_browser.py",
    }  # fmt: skip
    toml = settings(folder)
    assert toml["project"]["name"] == "my-counter"
    assert any(dep.startswith("lepta") for dep in toml["project"]["dependencies"])
    assert toml["tool"]["lepta"] == {
        "app": "app:App", "runtime": "micropython", "title": "my_counter", "style": "style.css"
    }  # fmt: skip
    readme = (folder / "README.md").read_text()
    assert "lepta dev ." in readme and "pytest" in readme
    assert "lepta dev ." in result.stdout
    output = run_its_tests(folder)
    assert "3 passed" in output  # two in memory, one in Chromium


def test_a_fullstack_project_has_server_functions_routes_and_sqlite_and_its_tests_pass(
    tmp_path,
):
    result = lepta("new", "apps/notes", "--template", "fullstack", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "apps" / "notes"
    toml = settings(folder)
    assert toml["tool"]["lepta"]["setup"] == "db:setup"
    assert "@server" in (folder / "notes.py").read_text()
    assert "Routes(" in (folder / "app.py").read_text()
    assert "sqlite3" in (folder / "db.py").read_text()
    output = run_its_tests(folder)
    assert "4 passed" in output  # three over ASGI and in memory, one in Chromium
    assert not (folder / "notes.db").exists()  # the tests had databases of their own


def test_the_favicon_is_a_real_icon():
    for template in ("basic", "fullstack"):
        icon = (ROOT / "src/lepta/cli/templates" / template / "public/favicon.ico").read_bytes()
        assert icon[:6] == b"\0\0\1\0\1\0"  # an ICO with one image
        assert icon[6:8] == b"\x10\x10"  # 16 x 16
        assert len(icon) < 2048


def test_a_folder_that_is_not_empty_is_refused_in_one_line(tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = lepta("new", "taken", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "lepta new: taken already exists and is not empty: nothing was written; "
        "give a new folder's name"
    )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("")
    assert lepta("new", "file", cwd=tmp_path).returncode == 1


def test_an_empty_folder_is_filled_and_odd_names_stay_valid(tmp_path):
    folder = tmp_path / 'My "quoted" app'
    folder.mkdir()
    result = lepta("new", folder.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    toml = settings(folder)
    assert toml["project"]["name"] == "my-quoted-app"
    assert toml["tool"]["lepta"]["title"] == 'My "quoted" app'
    compile((folder / "app.py").read_text(), "app.py", "exec")


def test_an_unknown_template_is_refused(tmp_path):
    result = lepta("new", "x", "--template", "nope", cwd=tmp_path)
    assert result.returncode == 2 and "basic" in result.stderr
    assert not (tmp_path / "x").exists()


def test_the_templates_ship_as_package_data(tmp_path):
    """What setuptools puts in the package (as in a wheel) holds every template file."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
         "-d", str(tmp_path / "lib")],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    templates = ROOT / "src/lepta/cli/templates"
    wanted = {p.relative_to(templates) for p in templates.rglob("*") if p.is_file()}
    shipped = tmp_path / "lib/lepta/cli/templates"
    assert {p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file()} == wanted
    assert (tmp_path / "lib/lepta/dev/client.js").is_file()


@pytest.mark.parametrize("template", ["basic", "fullstack"])
def test_the_generated_code_passes_ruff(tmp_path, template):
    assert lepta("new", "app", "--template", template, cwd=tmp_path).returncode == 0
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed")
    result = subprocess.run(
        [ruff, "check", "--isolated", "--select", "E,F,W,I,B,UP", "."],
        capture_output=True, text=True, cwd=tmp_path / "app",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
