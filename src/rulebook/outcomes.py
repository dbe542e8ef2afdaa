"""A pytest plugin that writes every test's outcome to a JSON file: ``-p rulebook.outcomes
--outcomes=PATH``. ``rulebook versions`` loads it in each environment it runs the suite in."""

import json
from pathlib import Path
from typing import Any

import pytest

TIMING_MARK = "timing"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--outcomes", metavar="PATH", help="Write each test's outcome to PATH.")


def _message(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The first line of what made a test fail (the exception pytest shows last)."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


class Recorder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tests: dict[str, dict[str, Any]] = {}

    def _record(self, node_id: str, outcome: str, message: str, timing: bool) -> None:
        entry = self.tests.setdefault(node_id, {"outcome": "passed", "timing": timing})
        if outcome == "failed" or entry["outcome"] == "passed":  # a failure in any phase wins
            entry["outcome"] = outcome
            if message:
                entry["message"] = message

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        timing = TIMING_MARK in report.keywords
        if report.failed:
            self._record(report.nodeid, "failed", _message(report), timing)
        elif report.skipped:
            self._record(report.nodeid, "skipped", "", timing)
        elif report.when == "call":
            self._record(report.nodeid, "passed", "", timing)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:  # a module that cannot be imported: none of its tests ran
            self._record(report.nodeid, "failed", _message(report), False)

    def pytest_sessionfinish(self) -> None:
        text = json.dumps(self.tests, indent=1, sort_keys=True)
        self.path.write_text(text + "\n", encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("outcomes")
    if path:
        config.pluginmanager.register(Recorder(Path(path)), "rulebook-outcomes")
