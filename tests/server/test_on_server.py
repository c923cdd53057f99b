"""The tracking, registry, alias-history, rollback and assessment-scan tests, re-run on the server.

The test functions below are the very ones of ``tests/tracking`` and
``tests/maturity`` (loaded from their files, not copied): collected here, their
``tracking_uri`` fixture resolves to ``tests/server/conftest.py``'s, so they
run against a real ``mlflow server`` on PostgreSQL instead of SQLite. Tests
that are about SQLite files (a missing ``.db``, copying a database) or never
touch a store are left out.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

RERUN = {
    "tracking/test_run.py": [
        "_end_kit_run",
        "test_normal_exit_finishes_and_writes_buffer",
        "test_exception_marks_failed_reraises_and_keeps_values",
        "test_run_left_active_by_plain_mlflow_is_ended_failed",
        "test_kit_run_left_active_is_flushed_and_ended_failed",
        "test_params_seed_dataset_and_versions_recorded",
        "test_several_datasets_by_name",
        "test_fluent_functions_use_current_run",
        "test_param_cannot_change_once_logged",
        "test_bad_arguments_write_nothing",
        "test_logging_after_end_and_invalid_metric_raise",
    ],
    "tracking/test_registry.py": [
        "store",
        "iris",
        "model_uri",
        "three_versions",
        "test_register_existing_model_uri",
        "test_register_bad_input_writes_nothing",
        "test_promote_then_rollback_walks_back_without_ping_pong",
        "test_promote_promote_rollback_rollback",
        "test_history_tags_have_the_documented_format",
        "test_history_survives_a_restart",
        "test_rollback_skips_deleted_versions",
        "test_rollback_after_a_move_made_outside_mlops_kit",
        "test_failed_history_write_restores_the_alias",
        "test_unknown_model_version_and_alias",
        "test_invalid_alias_names",
        "test_invalid_reason_and_user",
        "test_versions_and_list_models",
    ],
    "tracking/test_compare.py": [
        "experiment",
        "test_frame_has_one_row_per_run_with_params_and_metrics",
        "test_unknown_experiment_and_metric",
        "test_empty_experiment_and_id_lookup",
    ],
    "maturity/test_evidence_scan.py": [
        "test_scan_real_store_and_repo_proposes_answers_with_evidence",
        "test_empty_store_and_empty_folder_propose_zeros_with_no_evidence",
    ],
}


def _load(relative: str):
    path = TESTS / relative
    name = "_on_server_" + relative.replace("/", "_").removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


for _file, _names in RERUN.items():
    _module = _load(_file)
    for _name in _names:
        globals()[_name] = getattr(_module, _name)  # AttributeError if a test was renamed
