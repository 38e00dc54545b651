"""The lepta command."""

import subprocess
import sys


def lepta(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "lepta.cli", *args], capture_output=True, text=True, cwd=cwd
    )


def test_lepta_render_prints_a_components_html(tmp_path):
    (tmp_path / "hello.py").write_text(
        "from lepta import component\nfrom lepta.html import p\n\n"
        "@component\ndef Hello(name='world'):\n    return p('Hello, ', name)\n"
    )
    result = lepta("render", "hello:Hello", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "<p>Hello, world</p>"


def test_lepta_render_explains_a_bad_target(tmp_path):
    assert "module:Component" in lepta("render", "nocolon", cwd=tmp_path).stderr
    result = lepta("render", "missing_module:App", cwd=tmp_path)
    assert result.returncode == 1 and "cannot import" in result.stderr
    (tmp_path / "plain.py").write_text("def App():\n    return 1\n")
    assert "mark it with @component" in lepta("render", "plain:App", cwd=tmp_path).stderr


def test_lepta_version():
    assert lepta("--version").stdout.startswith("lepta 0.1.0")
