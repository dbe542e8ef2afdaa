"""A pytest plugin that writes every test's outcome to a JSON file: ``-p rulebook.outcomes
--outcomes=PATH``. ``rulebook versions`` loads it in each environment it runs the suite in."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

TIMING_MARK = "timing"
# Temporary folders differ from run to run; the page shows them as `<tmp>`.
TMP_RE = re.compile(r"/tmp/pytest-of-[^/]+/pytest-\d+/")
# pytest-xdist's loadgroup appends `@<group>` to a grouped test's node id (on pytest 8): the
# id the rule pages name has none.
GROUP_SUFFIX_RE = re.compile(r"@[^\[\]:/@]+$")


def ungrouped(node_id: str) -> str:
    """A grouped test's node id as the rule pages and evidence files name it."""
    return GROUP_SUFFIX_RE.sub("", node_id)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--outcomes", metavar="PATH", help="Write each test's outcome to PATH.")


def _message(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The first line of what made a test fail (the exception pytest shows last); for a module
    that failed to import, the exception's line (pytest prefixes it with `E`)."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        lines = crash.message.splitlines()
    else:
        lines = [line.removeprefix("E").strip() for line in str(report.longrepr).splitlines()]
        lines.reverse()
    return next((line.strip() for line in lines if line.strip()), "")


class Recorder:
    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.root = root
        self.tests: dict[str, dict[str, Any]] = {}

    def _record(self, node_id: str, outcome: str, message: str, timing: bool) -> None:
        # Paths inside the repository are written relative to it: the data is committed.
        message = TMP_RE.sub("<tmp>/", message.replace(f"{self.root}/", ""))
        entry = self.tests.setdefault(node_id, {"outcome": "passed", "timing": timing})
        if outcome == "failed" or entry["outcome"] == "passed":  # a failure in any phase wins
            entry["outcome"] = outcome
            if message:
                entry["message"] = message

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        timing = TIMING_MARK in report.keywords
        node_id = report.nodeid
        if "xdist_group" in report.keywords:
            node_id = ungrouped(node_id)
        if report.failed:
            self._record(node_id, "failed", _message(report), timing)
        elif report.skipped:
            self._record(node_id, "skipped", "", timing)
        elif report.when == "call":
            self._record(node_id, "passed", "", timing)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:  # a module that cannot be imported: none of its tests ran
            self._record(report.nodeid, "failed", _message(report), False)

    def pytest_sessionfinish(self) -> None:
        text = json.dumps(self.tests, indent=1, sort_keys=True)
        self.path.write_text(text + "\n", encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("outcomes")
    if path:
        config.pluginmanager.register(Recorder(Path(path), config.rootpath), "rulebook-outcomes")
