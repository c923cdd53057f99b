"""Write a CI workflow for a team's repository: install, test, data checks, the gate.

The workflows are package data (``mlops_kit/deploy/ci_templates/``):

- ``github``: ``.github/workflows/mlops-kit.yml`` (GitHub Actions);
- ``gitlab``: ``.gitlab-ci.yml`` (GitLab CI).

Each installs the project (``pip install -e .``; the project depends on
mlops-kit), runs its tests, then ``mlops-kit validate quality``,
``mlops-kit drift`` and ``mlops-kit gate``; the kit's exit codes (1 for drift
or a failed gate) fail the job. The paths, model name and target are
variables at the top of the file. ``tests/deploy/test_ci_init.py`` parses both
files and runs every ``mlops-kit`` command they name against sample data, so a
template cannot name a command or option that does not exist.

Examples
--------
>>> import tempfile
>>> path = write_ci("github", tempfile.mkdtemp())
>>> path.parts[-3:]
('.github', 'workflows', 'mlops-kit.yml')
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mlops_kit._params import Options, check_param
from mlops_kit.errors import InputError

__all__ = ["PROVIDERS", "template_text", "write_ci"]

#: provider -> (template file, path written inside the repository)
PROVIDERS = {
    "github": ("github.yaml", ".github/workflows/mlops-kit.yml"),
    "gitlab": ("gitlab.yaml", ".gitlab-ci.yml"),
}


def template_text(provider: str) -> str:
    """Return the workflow text for ``provider`` (``"github"`` or ``"gitlab"``).

    Examples
    --------
    >>> "mlops-kit gate" in template_text("gitlab")
    True
    """
    check_param("provider", provider, [Options(*PROVIDERS)])
    name = PROVIDERS[provider][0]
    return resources.files("mlops_kit.deploy").joinpath("ci_templates", name).read_text("utf-8")


def write_ci(provider: str = "github", directory=".", *, force: bool = False) -> Path:
    """Write the workflow of ``provider`` into the repository at ``directory``.

    Parameters
    ----------
    provider : {"github", "gitlab"}, default "github"
    directory : str or Path, default "."
        The repository's root (must exist).
    force : bool, default False
        Overwrite an existing workflow file.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputError
        Unknown provider, missing directory, or the file exists and ``force`` is False.
    """
    text = template_text(provider)
    check_param("force", force, ["boolean"])
    root = Path(directory)
    if not root.is_dir():
        raise InputError.invalid("dir", str(directory), "an existing directory (the repository)")
    target = root / PROVIDERS[provider][1]
    if target.exists() and not force:
        raise InputError.invalid(
            "dir",
            str(directory),
            f"a repository without {PROVIDERS[provider][1]}",
            "Pass --force (force=True) to overwrite it.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
