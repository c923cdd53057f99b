"""Roles, RACI and their validation (mlops_kit.governance.roles)."""

from __future__ import annotations

import json

import pytest
import yaml

from mlops_kit.errors import ConfigError
from mlops_kit.governance.roles import DEFAULT_ROLES, load_roles, raci


def test_source_roles_verbatim_and_additions_explained():
    roles = load_roles()
    source = [(r.name, r.responsibility) for r in roles.roles if r.source]
    assert source == [
        ("Data Scientist", "Model Development"),
        ("MLOps Engineer", "Pipeline Automation"),
        ("Model Validator", "Quality Assurance"),
    ]
    added = {r.name: r.reason for r in roles.roles if not r.source}
    assert set(added) == {"Data Engineer", "ML Product Owner"}
    assert all(reason and "kit" in reason for reason in added.values())
    assert all(r.responsibilities for r in roles.roles)


def test_raci_has_one_accountable_per_stage_and_covers_every_step():
    frame = raci().to_frame()
    roles = [c for c in frame.columns if c != "step"]
    assert ((frame[roles] == "A").sum(axis=1) == 1).all()
    assert sorted(set(frame["step"])) == [0, 1, 2, 3, 4, 5]
    assert raci().accountable("approve") == "model_validator"


def test_raci_plot_draws_every_letter():
    ax = raci().plot()
    letters = [t.get_text() for t in ax.texts]
    assert len(letters) == 8 * 5
    assert letters.count("A") == 8


def _write(tmp_path, mutate):
    data = yaml.safe_load(DEFAULT_ROLES.read_text())
    mutate(data)
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_stage_nobody_accountable_is_a_config_error_naming_file_and_stage(tmp_path):
    def drop(data):
        for role in data["roles"]:
            if role["raci"].get("deploy") == "A":
                role["raci"]["deploy"] = "R"

    path = _write(tmp_path, drop)
    with pytest.raises(ConfigError) as err:
        load_roles(path)
    text = str(err.value)
    assert str(path) in text
    assert "stage 'deploy': nobody is accountable" in text


def test_two_accountable_unknown_stage_and_missing_reason_reported_together(tmp_path):
    def spoil(data):
        data["roles"][0]["raci"]["deploy"] = "A"
        data["roles"][1]["raci"]["shipping"] = "R"
        del data["roles"][3]["reason"]

    with pytest.raises(ConfigError) as err:
        load_roles(_write(tmp_path, spoil))
    text = str(err.value)
    assert "needs a 'reason'" in text  # structural problem first
    with pytest.raises(ConfigError) as err:
        load_roles(_write(tmp_path, lambda d: spoil(d) or d["roles"][3].update(reason="x")))
    text = str(err.value)
    assert "2 roles are" in text and "unknown stages ['shipping']" in text


def test_raci_result_is_strict_json():
    data = json.loads(raci().to_json())
    assert data["matrix"]["govern"]["product_owner"] == "A"
