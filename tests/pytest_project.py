"""Run pytest on a small project of its own, for proofs about pytest's own configuration."""

import subprocess
import sys
from pathlib import Path


def run_pytest_project(
    folder: Path, ini: str, tests: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Write `pytest.ini` (the `[pytest]` section's body) and the test files, then run pytest."""
    folder.mkdir()
    (folder / "pytest.ini").write_text(f"[pytest]\n{ini}")
    for name, source in tests.items():
        (folder / name).write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
