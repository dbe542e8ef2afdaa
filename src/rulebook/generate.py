"""Write every generated file (agent rule files, site downloads, llms.txt) or check them.

Every file is rendered in memory first, so a bad rule source or a file over its tool's limit
writes nothing. Each write is atomic (a temporary file renamed over the target), a file whose
content is unchanged is left alone, and a file at a target path that is not ours (it lacks the
generated header) is only overwritten with ``force``.
"""

import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_rulebook.install.files import has_header
from fastapi_rulebook.install.tools import TARGETS
from rulebook.adapters import ADAPTERS
from rulebook.agents import Book, over_limit, project_version
from rulebook.llms import llms_full, llms_index
from rulebook.source import Rulebook

DOWNLOADS = Path("docs/downloads")
ARCHIVE = "fastapi-rulebook-agent-rules.zip"
# What `fastapi-rulebook init` installs from: every target's files, shipped in the wheel.
PACKAGE_DATA = Path("src/fastapi_rulebook/install/agent_files.json")
# This repository's own agent files: the root, and the files that import it.
REPOSITORY_TARGETS = ("agents-md", "claude-md", "gemini-md")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the archive is byte-identical across runs


class BudgetError(Exception):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def zip_of(files: dict[str, str]) -> bytes:
    """A zip of the files at their repository paths, identical for identical input."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in sorted(files.items()):
            info = zipfile.ZipInfo(path, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED  # deflate output varies across zlib builds
            archive.writestr(info, text.encode())
    return buffer.getvalue()


def target_files(rulebook: Rulebook) -> dict[str, dict[str, str]]:
    """Every target's files as they go in a repository: target -> path -> text."""
    book = Book(rulebook, project_version(rulebook.root))
    return {target: ADAPTERS[target](book) for target in TARGETS}


def download_name(target: str, files: dict[str, str]) -> str:
    """A target's file on the site: the file itself (as .txt, which MkDocs leaves alone) or a
    zip of its files at their repository paths."""
    return f"{target}.txt" if TARGETS[target].one_file else f"{target}.zip"


def package_data(version: str, targets: dict[str, dict[str, str]]) -> bytes:
    data = {"version": version, "targets": targets}
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def expected_files(rulebook: Rulebook) -> dict[Path, bytes]:
    """Every generated file (relative to the repository root) and its exact content."""
    targets = target_files(rulebook)
    everything = {path: text for files in targets.values() for path, text in files.items()}
    if problems := over_limit(everything):
        raise BudgetError(problems)
    files: dict[Path, bytes] = {}
    for target in REPOSITORY_TARGETS:
        files.update((Path(path), text.encode()) for path, text in targets[target].items())
    for target, contents in targets.items():
        name = DOWNLOADS / download_name(target, contents)
        files[name] = (
            zip_of(contents) if name.suffix == ".zip" else next(iter(contents.values())).encode()
        )
    files[DOWNLOADS / ARCHIVE] = zip_of(everything)
    files[PACKAGE_DATA] = package_data(project_version(rulebook.root), targets)
    files[Path("docs/llms.txt")] = llms_index(rulebook).encode()
    files[Path("docs/llms-full.txt")] = llms_full(rulebook).encode()
    return files


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    stray: list[Path] = field(default_factory=list)  # in a generated folder, no longer generated
    refused: list[Path] = field(default_factory=list)  # not ours: no generated header

    @property
    def out_of_date(self) -> bool:
        return bool(self.stale or self.missing or self.stray or self.refused)


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(content)
    os.chmod(handle.name, 0o644)  # as a file written by hand would be, not the temp file's 0600
    try:
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise


def _is_ours(relative: Path, current: bytes) -> bool:
    if relative.parts[0] == "docs" or relative == PACKAGE_DATA:
        return True  # site downloads, llms files, package data: nothing but generated files
    return has_header(current.decode(errors="replace"))


def sync(root: Path, files: dict[Path, bytes], *, check: bool, force: bool = False) -> Outcome:
    """Bring the generated files up to date; with ``check``, only report what would change."""
    outcome = Outcome()
    for relative, content in sorted(files.items()):
        path = root / relative
        current = path.read_bytes() if path.is_file() else None
        if current == content:
            outcome.unchanged.append(relative)
            continue
        if current is not None and not force and not _is_ours(relative, current):
            outcome.refused.append(relative)
            continue
        (outcome.missing if current is None else outcome.stale).append(relative)
    downloads = root / DOWNLOADS
    if downloads.is_dir():
        expected = {root / p for p in files}
        outcome.stray = [
            p.relative_to(root)
            for p in sorted(downloads.iterdir())
            if p.is_file() and p not in expected
        ]
    if not check and not outcome.refused:
        for relative in outcome.missing + outcome.stale:
            _write_atomically(root / relative, files[relative])
            outcome.written.append(relative)
        for relative in outcome.stray:
            (root / relative).unlink()
    return outcome
