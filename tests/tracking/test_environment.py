"""Environment tags: git facts through the git CLI, versions through importlib.metadata."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from mlops_kit.tracking.environment import (
    KEY_PACKAGES,
    environment_tags,
    git_info,
    package_versions,
)


def _git(repo, *args):
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    path = tmp_path / "repo"
    path.mkdir()
    _git(path, "init", "-q", "-b", "feature")
    (path / "a.txt").write_text("1\n")
    _git(path, "add", "a.txt")
    _git(path, "commit", "-q", "-m", "init")
    return path


def test_git_info_clean_untracked_and_dirty(repo):
    head = _git(repo, "rev-parse", "HEAD")
    assert git_info(repo) == {"commit": head, "branch": "feature", "dirty": False}
    (repo / "new.txt").write_text("untracked files do not make it dirty\n")
    assert git_info(repo)["dirty"] is False
    (repo / "a.txt").write_text("2\n")
    assert git_info(repo)["dirty"] is True
    _git(repo, "add", "a.txt")  # staged changes are dirty too
    assert git_info(repo)["dirty"] is True
    sub = repo / "sub"
    sub.mkdir()
    assert git_info(sub)["commit"] == head  # any folder inside the repo


def test_git_info_empty_outside_repo_without_commit_or_without_git(tmp_path, repo, monkeypatch):
    assert git_info(tmp_path / "missing") == {}
    plain = tmp_path / "plain"
    plain.mkdir()
    assert git_info(plain) == {}
    empty = tmp_path / "empty"
    empty.mkdir()
    _git(empty, "init", "-q")
    assert git_info(empty) == {}  # no commit yet
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # git is not installed
    assert git_info(repo) == {}
    tags = environment_tags(repo)
    assert not any("git" in k for k in tags)
    assert tags["mlops_kit.python_version"] == platform.python_version()


def test_environment_tags_inside_repo(repo):
    tags = environment_tags(repo, packages=["mlflow"])
    head = _git(repo, "rev-parse", "HEAD")
    assert tags["mlops_kit.git.commit"] == head == tags["mlflow.source.git.commit"]
    assert tags["mlops_kit.git.branch"] == "feature" == tags["mlflow.source.git.branch"]
    assert tags["mlops_kit.git.dirty"] == "false"
    assert set(k for k in tags if "version." in k) == {"mlops_kit.version.mlflow"}


def test_package_versions_without_importing():
    code = (
        "import sys; from mlops_kit.tracking.environment import package_versions as p;"
        "v = p(); print(sorted(v)); "
        "print([m for m in ('mlflow', 'pandas', 'numpy', 'sklearn') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == str(sorted(KEY_PACKAGES))
    assert out[1] == "[]"
    import mlflow

    assert package_versions(["mlflow"]) == {"mlflow": mlflow.__version__}
    assert package_versions(["no-such-distribution-xyz"]) == {}
