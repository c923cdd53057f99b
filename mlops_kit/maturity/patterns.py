"""Every name pattern the evidence scan looks for, in one place.

Store patterns are matched against MLflow run tags, metric names, artifact
paths and registered-model tags; repo patterns against each file's path relative to
the repository root and against its bare name (``fnmatch`` syntax, ``/``
separators; ``*`` also crosses folders).

Examples
--------
>>> from fnmatch import fnmatch
>>> any(fnmatch("reports/drift_2024.html", p) for p in DRIFT_ARTIFACTS)
True
>>> ALIAS_HISTORY_PREFIX + "champion.000001"
'mlops_kit.alias_history.champion.000001'
"""

from __future__ import annotations

__all__ = [
    "ALERT_FILES",
    "ALIAS_HISTORY_PREFIX",
    "CI_FILES",
    "DRIFT_ARTIFACTS",
    "DRIFT_METRIC_PREFIXES",
    "DRIFT_TAG_PREFIXES",
    "ENVIRONMENT_FILES",
    "LOCK_FILES",
    "MATURITY_TAG",
    "MAX_ARTIFACT_RUNS",
    "MAX_REPO_FILES",
    "MAX_RUNS",
    "MONITORING_FILES",
    "NOTEBOOK_TEST_TOOLS",
    "REQUIREMENTS_FILES",
    "SKIP_DIRS",
    "TEST_AUTOMATION_FILES",
    "TEST_DIRS",
    "TEST_FILES",
    "VALIDATION_ARTIFACTS",
    "VALIDATION_METRIC_PREFIXES",
    "VALIDATION_TAG_PREFIXES",
]

# --- MLflow store -----------------------------------------------------------------------
#: registered-model tag keys of the registry helper: ``<prefix><alias>.<seq:06d>`` whose
#: value is JSON with ``"action": "promote" | "rollback"``
ALIAS_HISTORY_PREFIX = "mlops_kit.alias_history."
#: tag set on runs written by ``Assessment.log_to_mlflow`` (left out of training evidence)
MATURITY_TAG = "mlops_kit.maturity.level_name"
#: a run with a tag or metric starting with one of these holds validation results
VALIDATION_TAG_PREFIXES = ("mlops_kit.validation", "mlops_kit.gate", "validation.")
VALIDATION_METRIC_PREFIXES = ("mlops_kit.validation", "validation_", "validation.", "drift_share")
#: ... and one of these marks a drift check
DRIFT_TAG_PREFIXES = ("mlops_kit.validation.drift", "mlops_kit.drift", "drift")
DRIFT_METRIC_PREFIXES = ("drift_share", "drift", "mlops_kit.validation.drift")
#: artifact paths (matched on the full path and on the file name)
DRIFT_ARTIFACTS = ("drift*", "*/drift*")
VALIDATION_ARTIFACTS = ("*report*.html", "*validation*", "*data_quality*", *DRIFT_ARTIFACTS)
#: limits, so a scan of a large team store stays quick
MAX_RUNS = 5000
MAX_ARTIFACT_RUNS = 200

# --- repository ---------------------------------------------------------------------------
SKIP_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "env",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        "site-packages",
        "build",
        "dist",
        ".ipynb_checkpoints",
        "mlartifacts",
        "mlruns",
    }
)
MAX_REPO_FILES = 20_000
CI_FILES = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    ".ci/*",
    "Jenkinsfile",
    ".circleci/config.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
)
#: test modules (matched on the file name) and test folders (any depth)
TEST_FILES = ("test_*.py", "*_test.py")
TEST_DIRS = ("tests", "test")
LOCK_FILES = (
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "conda-lock.yml",
    "*.conda.lock",
)
REQUIREMENTS_FILES = ("requirements*.txt",)
ENVIRONMENT_FILES = ("environment.yml", "environment.yaml", "pyproject.toml")
#: tools that execute notebooks under test, searched in config files
NOTEBOOK_TEST_TOOLS = ("nbval", "papermill", "nbmake", "testbook", "nbclient")
#: config files where a mention of a notebook test tool means the tests are automated
TEST_AUTOMATION_FILES = (
    *CI_FILES,
    "pyproject.toml",
    "setup.cfg",
    "tox.ini",
    "pytest.ini",
    "noxfile.py",
    "Makefile",
)
MONITORING_FILES = (
    "prometheus.yml",
    "prometheus.yaml",
    "grafana/*",
    "*/grafana/*",
    "*dashboard*.json",
    "*evidently*.yml",
    "*evidently*.yaml",
    "*evidently*.json",
)
ALERT_FILES = ("*alert*.yml", "*alert*.yaml", "*alert*.json", "*prometheus*/*rules*.y*ml")
