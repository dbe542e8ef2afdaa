"""Build this site with Zensical, Material for MkDocs' successor, into a folder of its own."""

import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def zensical_site(*options: str) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    """Run `zensical build` on mkdocs.yml; yield its result and the built site, removed after.

    zensical has no --site-dir and keeps the site inside the project: a copy of mkdocs.yml
    beside it sends the output to a folder named after the copy.
    """
    name = f".zensical-{uuid.uuid4().hex}"
    config, site = ROOT / f"{name}.yml", ROOT / name
    config.write_text((ROOT / "mkdocs.yml").read_text() + f"\nsite_dir: {name}\n", encoding="utf-8")
    try:
        yield (
            subprocess.run(
                [sys.executable, "-m", "zensical", "build", *options, "--config-file", str(config)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            ),
            site,
        )
    finally:
        config.unlink()
        shutil.rmtree(site, ignore_errors=True)
