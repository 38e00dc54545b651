"""Every example runs with one command and does what its docstring says."""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(name):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_counter_tour_hydrates_without_creating_nodes_and_clicks_cost_one_operation():
    out = run("counter_tour.py")
    assert "<span>Value: <!>0<!>!</span>" in out
    assert "0 nodes created" in out
    assert out.count("{'set_text': 1}") == 4
    assert "'Value: 0!'" in out


def test_the_reactive_demo_runs_its_effects_only_when_their_inputs_change():
    out = run("reactive_demo.py")
    assert "[total]    10.50" in out and "[shipping] free!" in out
    assert out.count("[shipping] (banner replaced)") == 3
