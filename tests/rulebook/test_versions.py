"""Which distribution provides each module a page's code imports (for its "Tested with" line)."""

import sys
from importlib.metadata import distributions, packages_distributions
from pathlib import Path

import pytest

from rulebook.versions import modules_to_distributions

# One distribution declares its modules (top_level.txt), whatever its RECORD lists; another
# has only a RECORD: a package, a module, a compiled extension, a .pth file, its own metadata,
# a path quoted for its comma, and a script installed outside site-packages. A legacy install
# (egg-info) has no RECORD, only the list of its sources.
DECLARED = {"top_level.txt": "alpha\nbeta\n", "RECORD": "ignored/__init__.py,,\n"}
RECORDED_FILES = [
    "gamma/__init__.py",
    "delta.py",
    "_speedups.cpython-314-x86_64-linux-gnu.so",
    "recorded.pth",
    "odd,name/module.py",
]


def write_distribution(site: Path, name: str, metadata: dict[str, str]) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    for file, text in metadata.items():
        (info / file).write_text(text)


def test_modules_map_to_distributions_as_the_standard_library_infers_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    write_distribution(site, "declared", DECLARED)
    own = "recorded-1.0.dist-info"
    record = [f'"{file}",,' if "," in file else f"{file},," for file in RECORDED_FILES]
    record += [f"{own}/METADATA,,", f"{own}/RECORD,,", "../../bin/recorded-tool,,"]
    write_distribution(site, "recorded", {"RECORD": "\n".join(record) + "\n"})
    legacy = site / "legacy-1.0.egg-info"
    legacy.mkdir()
    (legacy / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: legacy\nVersion: 1.0\n")
    (legacy / "SOURCES.txt").write_text("legacy/__init__.py\n")
    for file in [*RECORDED_FILES, "legacy/__init__.py"]:  # installed, as their lists say
        (site / file).parent.mkdir(parents=True, exist_ok=True)
        (site / file).touch()

    ours = modules_to_distributions(distributions(path=[str(site)]))

    assert dict(ours) == {
        "alpha": ["declared"],
        "beta": ["declared"],
        "gamma": ["recorded"],
        "delta": ["recorded"],
        "_speedups": ["recorded"],
        "odd,name": ["recorded"],
        "legacy": ["legacy"],
    }
    monkeypatch.setattr(sys, "path", [str(site)])
    assert dict(ours) == packages_distributions()
