"""``python -m mlops_kit`` and the ``mlops-kit`` console script."""

import sys


def run() -> None:
    """Entry point of the console script: exit with the CLI's status."""
    from mlops_kit.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
