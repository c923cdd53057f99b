"""``mlops-kit governance`` in a real process: exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "mlops_kit", "governance", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_raci_json_and_bad_roles_file(tmp_path):
    out = _run("raci", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["matrix"]["deploy"]["mlops_engineer"] == "A"
    bad = tmp_path / "roles.yaml"
    bad.write_text("version: 2\n")
    out = _run("raci", "--roles", str(bad))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and str(bad) in out.stderr


def test_approve_missing_model_is_exit_2_one_line(tracking_uri):
    out = _run("approve", "nope", "1", "--by", "val", env={"MLFLOW_TRACKING_URI": tracking_uri})
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "'nope' not found" in out.stderr
