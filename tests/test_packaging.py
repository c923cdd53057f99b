"""The install files agree with each other and with the pins the kit relies on."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_environment_yml_installs_the_package_with_dev_extra_on_python_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    assert "conda-forge" in env["channels"]
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-e .[dev]" in pip_section
    # every other dependency must come from pyproject.toml, not be pinned twice
    conda_only = [d for d in deps if isinstance(d, str) and d not in ("python=3.11", "pip")]
    assert conda_only == [], f"declare these in pyproject.toml instead: {conda_only}"
    requires = _pyproject()["project"]["requires-python"]
    assert ">=3.11" in requires


def test_pyproject_pins_pandas_below_3_for_evidently():
    deps = _pyproject()["project"]["dependencies"]
    pandas = next(d for d in deps if d.startswith("pandas"))
    assert "<3" in pandas, "Evidently 0.7 fails to import with pandas 3: keep pandas<3"
    assert any(d.startswith("mlflow>=3") for d in deps)
    assert any(d.startswith("evidently>=0.7,<0.8") for d in deps)


def test_dev_extra_has_the_test_tools():
    dev = _pyproject()["project"]["optional-dependencies"]["dev"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in dev}
    assert {"pytest", "nbval", "papermill", "ruff"} <= names


def test_installed_versions_satisfy_pyproject():
    from importlib.metadata import version

    from packaging.requirements import Requirement

    for spec in _pyproject()["project"]["dependencies"]:
        req = Requirement(spec)
        assert req.specifier.contains(version(req.name), prereleases=True), (
            f"{req.name} {version(req.name)} does not satisfy {spec}"
        )


def test_evidently_imports_with_installed_pandas():
    # A loosened pandas pin (pandas 3) breaks this import: fail fast here.
    out = subprocess.run(
        [sys.executable, "-c", "import evidently, pandas; print(pandas.__version__)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.strip().split(".")[0]) < 3


def test_console_script_is_declared():
    scripts = _pyproject()["project"]["scripts"]
    assert scripts["mlops-kit"] == "mlops_kit.__main__:run"
