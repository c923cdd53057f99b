"""What a run ran on: git commit, Python and package versions, as run tags.

Nothing here imports the packages it reports on: versions come from
``importlib.metadata`` and git facts from the ``git`` command line (with a
timeout). When git is missing or the folder is not inside a repository the
git tags are simply not set.

Examples
--------
>>> tags = environment_tags(repo_path="/")
>>> tags["mlops_kit.python_version"].count(".") == 2
True
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata

__all__ = [
    "KEY_PACKAGES",
    "TAG_PREFIX",
    "environment_tags",
    "git_info",
    "package_versions",
]

#: Distributions whose versions every run records.
KEY_PACKAGES = ("mlflow", "pandas", "numpy", "scikit-learn", "mlops-kit")

#: Prefix of every tag the kit writes.
TAG_PREFIX = "mlops_kit."

_GIT_TIMEOUT = 5.0


def _git(args: list[str], cwd: str, timeout: float) -> str | None:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout


def git_info(repo_path=None, timeout: float = _GIT_TIMEOUT) -> dict:
    """Return the commit, branch and dirty flag of the git repo holding ``repo_path``.

    ``dirty`` is True when tracked files have changes (staged or not);
    untracked files do not count, as for ``git describe --dirty``.

    Parameters
    ----------
    repo_path : str or Path, optional
        A folder inside the repository; the current directory by default.
    timeout : float, default 5.0
        Seconds allowed for each ``git`` call.

    Returns
    -------
    dict
        ``{"commit": str, "branch": str, "dirty": bool}``, or ``{}`` when git
        is not installed, the folder is not in a repository or it has no commit.

    Examples
    --------
    >>> import tempfile
    >>> git_info(tempfile.mkdtemp())
    {}
    """
    cwd = os.fspath(repo_path) if repo_path is not None else os.getcwd()
    if not os.path.isdir(cwd):
        return {}
    out = _git(["rev-parse", "HEAD", "--abbrev-ref", "HEAD"], cwd, timeout)
    if not out:
        return {}
    lines = out.split()
    if len(lines) != 2:
        return {}
    status = _git(["status", "--porcelain", "--untracked-files=no"], cwd, timeout)
    info = {"commit": lines[0], "branch": lines[1]}
    if status is not None:
        info["dirty"] = bool(status.strip())
    return info


def package_versions(packages=KEY_PACKAGES) -> dict[str, str]:
    """Return the installed version of each distribution (missing ones are left out).

    Parameters
    ----------
    packages : iterable of str
        Distribution names as on PyPI (``"scikit-learn"``, not ``"sklearn"``).

    Examples
    --------
    >>> "mlflow" in package_versions(["mlflow"])
    True
    >>> package_versions(["surely-not-installed-xyz"])
    {}
    """
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            if name == "mlops-kit":
                from mlops_kit import __version__

                versions[name] = __version__
    return versions


def environment_tags(repo_path=None, packages=KEY_PACKAGES) -> dict[str, str]:
    """Return the run tags describing the code and environment.

    Tags: ``mlops_kit.python_version``, ``mlops_kit.platform``,
    ``mlops_kit.version.<package>`` for each installed package and, inside a
    git repository, ``mlops_kit.git.commit``, ``mlops_kit.git.branch``,
    ``mlops_kit.git.dirty`` (``"true"``/``"false"``) plus MLflow's own
    ``mlflow.source.git.commit`` and ``mlflow.source.git.branch`` so that the
    MLflow UI shows the commit.

    Parameters
    ----------
    repo_path : str or Path, optional
        A folder inside the git repository; the current directory by default.
    packages : iterable of str
        Distributions whose versions to record.

    Examples
    --------
    >>> tags = environment_tags(packages=["mlflow"])
    >>> "mlops_kit.version.mlflow" in tags
    True
    """
    tags = {
        f"{TAG_PREFIX}python_version": platform.python_version(),
        f"{TAG_PREFIX}platform": platform.platform(terse=True),
    }
    for name, version in package_versions(packages).items():
        tags[f"{TAG_PREFIX}version.{name}"] = version
    git = git_info(repo_path)
    if git:
        tags[f"{TAG_PREFIX}git.commit"] = git["commit"]
        tags[f"{TAG_PREFIX}git.branch"] = git["branch"]
        tags["mlflow.source.git.commit"] = git["commit"]
        tags["mlflow.source.git.branch"] = git["branch"]
        if "dirty" in git:
            tags[f"{TAG_PREFIX}git.dirty"] = "true" if git["dirty"] else "false"
    return tags
