"""Installed as a wheel into a fresh venv and run from another folder, qualcheck finds its bundled rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    wheels = tmp / "dist"
    # The same wheel `pip install .` builds (pip fetches hatchling for the isolated build).
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(ROOT), "-w", str(wheels)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    [wheel] = wheels.glob("qualcheck-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    inst = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--quiet", "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert inst.returncode == 0, inst.stderr[-3000:]
    work = tmp / "elsewhere"
    work.mkdir()
    shutil.copy(next((ROOT / "seeds").glob("001_*.txt")), work / "article.txt")
    # The dependencies come from the project's venv; PYTHONPATH does not process its editable .pth,
    # so the only qualcheck package importable is the one installed from the wheel.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "LANG": "C.UTF-8",
    }
    return py, work, env


def _run(installed, *args):
    py, work, env = installed
    return subprocess.run([str(py), *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_wheel_imports_from_the_fresh_venv(installed):
    py, work, _ = installed
    proc = _run(installed, "-c", "import qualcheck, qualcheck.ruleset as r; print(qualcheck.__file__); print(r.bundled_rules_dir())")
    assert proc.returncode == 0, proc.stderr
    module, rules = proc.stdout.splitlines()
    venv = py.parent.parent
    assert Path(module).is_relative_to(venv) and Path(rules).is_relative_to(venv)
    assert Path(rules).name == "bundled_rules"


@pytest.mark.slow
def test_wheel_lists_bundled_rules(installed):
    proc = _run(installed, "-m", "qualcheck", "--list-rules")
    assert proc.returncode == 0, proc.stderr
    codes = {line.split()[0] for line in proc.stdout.splitlines()}
    assert {"BP101", "BP105", "BP201", "RD101", "RD103"} <= codes
    explain = _run(installed, "-m", "qualcheck", "--explain", "BP105")
    assert explain.returncode == 0 and "Defined in: rules/boilerplate/BP105-photo-credit.yaml" in explain.stdout


@pytest.mark.slow
def test_wheel_checks_an_article_from_another_folder(installed):
    proc = _run(installed, "-m", "qualcheck", "article.txt", "--report", "json", "--select", "BP,RD")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    [doc] = data["documents"]
    assert doc["path"] == "article.txt" and doc["source"] == "AsumeTech"
    codes = {f["code"] for f in doc["findings"]}
    assert {"BP101", "BP102", "BP103"} <= codes
    html = _run(installed, "-m", "qualcheck", "article.txt", "--report", "html", "--select", "BP")
    assert html.returncode == 0, html.stderr
    assert html.stdout.strip() == "reports/qualcheck.html"
    assert (installed[1] / "reports" / "qualcheck.html").stat().st_size > 1000
