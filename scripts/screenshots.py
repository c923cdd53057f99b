"""Regenerate docs/images/*.png from the browser tests: never drawn by hand.

Runs ``tests/browser/test_layout_1280.py`` (real JupyterLab and Voilà, headless Debian
chromium, 1280x800 window) with ``MLOPS_KIT_SCREENSHOTS`` set, so each picture is the
widget exactly as the layout test measured it, clipped to the widget. Each PNG is then
quantised with Pillow to stay under 200 KB.

Usage (from the repository root; exit 0 when every image was written)::

    PYTHONPATH=. python scripts/screenshots.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = [
    "assessment",
    "roi",
    "experiment_browser",
    "drift_explorer",
    "canary_timeline",
    "monitoring_dashboard",
    "voila_room",
]
LIMIT = 200_000


def optimise(source: Path, target: Path, limit: int = LIMIT) -> int:
    """Write ``source`` to ``target`` as an optimised, palette-quantised PNG; return its bytes."""
    from PIL import Image

    image = Image.open(source).convert("RGB")
    for colors in (256, 128, 64):
        image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=0).save(
            target, optimize=True
        )
        if target.stat().st_size < limit:
            break
    scale = 1.0
    while target.stat().st_size >= limit and scale > 0.4:  # a very tall widget: shrink
        scale *= 0.85
        size = (int(image.width * scale), int(image.height * scale))
        image.resize(size, Image.Resampling.LANCZOS).quantize(colors=64, dither=0).save(
            target, optimize=True
        )
    return target.stat().st_size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as raw:
        env = {**os.environ, "MLOPS_KIT_SCREENSHOTS": raw, "MPLBACKEND": "Agg"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        code = subprocess.call(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/browser/test_layout_1280.py",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            env=env,
        )
        if code != 0:
            print(f"the browser tests failed (exit {code}): no image replaced", file=sys.stderr)
            return 1
        names = list(IMAGES)
        missing = [n for n in names if not (Path(raw) / f"{n}.png").exists()]
        if missing:
            print(f"no screenshot taken for {missing}", file=sys.stderr)
            return 1
        for name in names:
            size = optimise(Path(raw) / f"{name}.png", out / f"{name}.png")
            print(f"{out / name}.png: {size / 1000:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
