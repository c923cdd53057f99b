"""Facts about practice found in a repository folder (read only).

Looks for a git repository, CI config, tests, pinned environment files,
notebook test tools mentioned in config, monitoring config and alert rules,
with the patterns of :mod:`mlops_kit.maturity.patterns`. Virtual
environments, caches and build folders are skipped and at most
``MAX_REPO_FILES`` files are looked at.

Examples
--------
>>> import tempfile
>>> facts = repo_facts(tempfile.mkdtemp())
>>> facts["ci_files"], facts["test_files"]
([], [])
"""

from __future__ import annotations

import os
import re
from fnmatch import fnmatch
from pathlib import Path

from mlops_kit.errors import InputError
from mlops_kit.maturity import patterns as P

__all__ = ["repo_facts"]

_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9_.\-\[\],]+)\s*(==|===|>=|<=|~=|!=|>|<)?")
_ENV_PIN = re.compile(r"^\s*-\s*[A-Za-z0-9_.\-]+\s*=")


def _walk(root: Path) -> tuple[list[str], bool]:
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in P.SKIP_DIRS)
        rel = Path(dirpath).relative_to(root).as_posix()
        for name in sorted(filenames):
            files.append(name if rel == "." else f"{rel}/{name}")
            if len(files) >= P.MAX_REPO_FILES:
                return files, True
    return files, False


def _matches(path: str, pats) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch(path, p) or fnmatch(name, p) for p in pats)


def _read(root: Path, rel: str, limit: int = 200_000) -> str:
    try:
        with open(root / rel, encoding="utf-8", errors="replace") as fh:
            return fh.read(limit)
    except OSError:
        return ""


def _requirements(root: Path, rel: str) -> dict:
    pinned = total = 0
    for line in _read(root, rel).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        m = _REQ_LINE.match(line)
        if m:
            total += 1
            pinned += m.group(2) in ("==", "===")
    return {"file": rel, "pinned": pinned, "total": total}


def _find_git(root: Path) -> str | None:
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return ".git" if folder == root else str(folder / ".git")
    return None


def repo_facts(repo) -> dict:
    """Gather evidence facts from a repository folder without writing to it.

    Parameters
    ----------
    repo : str or Path
        An existing folder.

    Returns
    -------
    dict
        Lists of matching files used by the repo rules of :mod:`mlops_kit.maturity.rules`.

    Raises
    ------
    InputError
        ``repo`` is not an existing folder.
    """
    if not isinstance(repo, (str, os.PathLike)) or not str(repo).strip():
        raise InputError.invalid("repo", repo, "the path of an existing folder")
    root = Path(repo).expanduser()
    if not root.is_dir():
        raise InputError.invalid(
            "repo",
            str(repo),
            "the path of an existing folder",
            hint="Check the path (it does not exist or is a file).",
        )
    root = root.resolve()
    files, truncated = _walk(root)
    ci = [f for f in files if _matches(f, P.CI_FILES) and (f.startswith(".") or "/" not in f)]
    tests = [f for f in files if _matches(f, P.TEST_FILES)]
    tests += [
        f
        for f in files
        if f.endswith(".py")
        and f not in tests
        and set(f.split("/")[:-1]) & set(P.TEST_DIRS)
        and not f.endswith("__init__.py")
    ]
    reqs = [_requirements(root, f) for f in files if _matches(f, P.REQUIREMENTS_FILES)]
    envs = [f for f in files if _matches(f, P.ENVIRONMENT_FILES)]
    locks = [f for f in files if _matches(f, P.LOCK_FILES)]
    for env in envs:
        if env.endswith((".yml", ".yaml")):
            lines = [ln for ln in _read(root, env).splitlines() if ln.strip().startswith("- ")]
            if lines and all(_ENV_PIN.match(ln) for ln in lines if not ln.strip().endswith(":")):
                locks.append(f"{env} (all versions pinned)")
    automated: dict[str, list[str]] = {}
    listed: dict[str, list[str]] = {}
    config_files = [
        f
        for f in files
        if _matches(f, P.TEST_AUTOMATION_FILES)
        or _matches(f, P.REQUIREMENTS_FILES)
        or _matches(f, ("environment.yml", "environment.yaml"))
    ]
    for f in config_files:
        text = _read(root, f).lower()
        for tool in P.NOTEBOOK_TEST_TOOLS:
            if re.search(rf"\b{tool}\b", text):
                target = automated if _matches(f, P.TEST_AUTOMATION_FILES) else listed
                target.setdefault(tool, []).append(f)
    return {
        "path": str(root),
        "n_files": len(files),
        "files_truncated": truncated,
        "git": _find_git(root),
        "ci_files": ci,
        "test_files": tests,
        "lock_files": locks,
        "requirements": reqs,
        "environment_files": envs,
        "notebook_tools_automated": automated,
        "notebook_tools_listed": listed,
        "monitoring_files": [f for f in files if _matches(f, P.MONITORING_FILES)],
        "alert_files": [f for f in files if _matches(f, P.ALERT_FILES)],
    }
