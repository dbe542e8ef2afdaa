"""Evidence: the failure an Avoid's proof observed, committed under evidence/ and shown on the
rule page under the Avoid.

A proof asks for the `evidence` fixture and hands it what it saw: an exception, an HTTP
response, a tool's output. The text is normalised (this machine's paths, memory addresses,
ports, durations, tokens and hashes), so a rerun writes the same bytes. Each run compares it
with the committed file and fails the test when they differ: the page would show a failure
the proof no longer sees. `pytest --update-evidence` writes the files instead. `rulebook
versions` passes `--no-evidence-check`: on other releases the messages may differ, and the
pages show the pinned stack's.
"""

import contextlib
import difflib
import json
import os
import re
import tempfile
import textwrap
from collections.abc import Generator, Iterator
from pathlib import Path

import httpx
import pytest

from rulebook.outcomes import ungrouped
from rulebook.source import evidence_file

UPDATE_OPTION = "--update-evidence"
OFF_OPTION = "--no-evidence-check"
CALL_REPORT = pytest.StashKey[pytest.TestReport]()
LINE_LIMIT = 400  # characters of one line of evidence; a 10,000-character input is cut
WIDTH = 100  # and longer lines are wrapped to the width the site's code blocks show whole
BODY_LIMIT = 40  # lines of one body
# Headers that change from run to run or say nothing about the failure.
DROPPED_HEADERS = {"date", "server"}

# Applied in order, so the more specific patterns go first.
SITE_PACKAGES = re.compile(r"(?:/[^\s'\"():]+)*/site-packages/")
NORMALISERS: list[tuple[re.Pattern[str], str]] = [
    # A test's tmp_path; under pytest-xdist one folder deeper, in the worker's.
    (re.compile(r"/tmp/pytest-of-[^/\s]+/pytest-\d+/(?:popen-gw\d+/)?[\w.\[\]-]+"), "<tmp>"),
    (re.compile(r"/tmp/[\w.-]+"), "<tmp>"),
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "0x..."),
    (re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]*"), "<jwt>"),
    (re.compile(r"\$argon2id?\$[^\s\"']+"), "<argon2 hash>"),
    (re.compile(r"\b(127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]):\d{2,5}\b"), r"\1:<port>"),
    (re.compile(r"\bport \d{2,5}\b"), "port <port>"),
    (re.compile(r"\b(pid|PID|process) \d+\b"), r"\1 <pid>"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|µs|seconds|s)\b"), "<time>"),
    (re.compile(r"\brulebook_test_\w+\b"), "<test database>"),
]


def normalise(text: str, root: Path) -> str:
    """`text` as it reads on every machine and every run; paths in `root` made relative."""
    text = SITE_PACKAGES.sub("site-packages/", text)  # before the root: a venv may sit in it
    text = text.replace(f"{root}/", "").replace(str(root), ".")
    for pattern, replacement in NORMALISERS:
        text = pattern.sub(replacement, text)
    lines = [_fit(line.rstrip()) for line in text.strip("\n").splitlines()]
    return "\n".join(lines)


def _fit(line: str) -> str:
    """A line cut at LINE_LIMIT characters, then wrapped at WIDTH (continued lines indented)."""
    if len(line) > LINE_LIMIT:
        line = f"{line[:LINE_LIMIT]}... ({len(line) - LINE_LIMIT:,} more characters)"
    if len(line) <= WIDTH:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    return textwrap.fill(
        line,
        WIDTH,
        subsequent_indent=f"{indent}    ",
        break_on_hyphens=False,
        drop_whitespace=True,
    )


def describe_exception(error: BaseException) -> str:
    """`module.Type: message`, as a traceback's last line names it, then its sub-exceptions."""
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    message = str(error)
    lines = [f"{name}: {message}" if message else name]
    if isinstance(error, BaseExceptionGroup):
        for number, inner in enumerate(error.exceptions, start=1):
            inner_lines = describe_exception(inner).splitlines()
            lines.append(f"  [{number}] {inner_lines[0]}")
            lines.extend(f"      {line}" for line in inner_lines[1:])
    return "\n".join(lines)


def describe_response(response: httpx.Response) -> str:
    """The request line, then the response's status, headers and body, as a client sees them."""
    request = response.request
    lines = [f"{request.method} {request.url.raw_path.decode('ascii')}"]
    if request.content:
        lines.append(_body(request.headers.get("content-type", ""), request.content))
    lines += ["", f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    lines += [
        f"{name}: {value}"
        for name, value in response.headers.items()
        if name.lower() not in DROPPED_HEADERS
    ]
    if response.content:
        lines += ["", _body(response.headers.get("content-type", ""), response.content)]
    return "\n".join(lines)


def masked(response: httpx.Response, path: str | None = None, **fields: str) -> httpx.Response:
    """`response` as the page shows it, without what differs from run to run: each of `fields`
    in its JSON body replaced by the placeholder given, and the request's path by `path` when
    given (one with an id in it)."""
    received = response.json()
    body = received | {k: v for k, v in fields.items() if k in received}
    sent = response.request
    headers = {"content-type": sent.headers["content-type"]} if sent.content else {}
    target = sent.url.raw_path.decode() if path is None else path
    request = httpx.Request(
        sent.method, f"http://test{target}", content=sent.content, headers=headers
    )
    kept = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    content = json.dumps(body, separators=(",", ":")).encode()
    return httpx.Response(response.status_code, headers=kept, content=content, request=request)


def _body(content_type: str, content: bytes) -> str:
    text = content.decode("utf-8", errors="backslashreplace")
    if content_type.startswith("application/json"):
        with contextlib.suppress(ValueError):  # not JSON after all: shown as sent
            text = json.dumps(json.loads(content), indent=2, ensure_ascii=False)
    # A lone surrogate (`"\ud800"` sent as JSON) is no UTF-8: shown escaped, as Python writes it.
    text = text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    lines = text.splitlines()
    if len(lines) > BODY_LIMIT:
        lines = [*lines[:BODY_LIMIT], f"... ({len(lines) - BODY_LIMIT} more lines)"]
    return "\n".join(lines)


class Evidence:
    """What one proof observed, part by part, each optionally under a `# label` line."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, seen: BaseException | httpx.Response | str, label: str = "") -> None:
        if isinstance(seen, BaseException):
            text = describe_exception(seen)
        elif isinstance(seen, httpx.Response):
            text = describe_response(seen)
        else:
            text = seen
        self.parts.append(f"# {label}\n{text}" if label else text)

    def text(self, root: Path) -> str:
        return normalise("\n\n".join(self.parts), root) + "\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("evidence", "evidence files (evidence/)")
    group.addoption(
        UPDATE_OPTION,
        action="store_true",
        help="Write what each Avoid proof observed to its evidence file, instead of comparing.",
    )
    group.addoption(
        OFF_OPTION,
        action="store_true",
        help="Neither compare nor write evidence files (runs on other versions of the stack).",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report


@pytest.fixture
def evidence(request: pytest.FixtureRequest) -> Iterator[Evidence]:
    """Hand it what the proof saw; at teardown it is checked against (or written to) the
    test's evidence file."""
    seen = Evidence()
    yield seen
    report = request.node.stash.get(CALL_REPORT, None)
    if report is None or not report.passed or request.config.getoption(OFF_OPTION):
        return  # a failing proof's own error says more than a stale file would
    if not seen.parts:
        pytest.fail("the proof asked for `evidence` and recorded nothing")
    root = request.config.rootpath
    path = root / evidence_file(test_id(request.node))
    text = seen.text(root)
    committed = path.read_text(encoding="utf-8") if path.is_file() else None
    if committed == text:
        return
    if request.config.getoption(UPDATE_OPTION):
        write_atomically(path, text)
        return
    rerun = f"uv run pytest {UPDATE_OPTION} '{test_id(request.node)}'"
    if committed is None:
        pytest.fail(f"no evidence file {path.relative_to(root)}: write it with `{rerun}`")
    diff = difflib.unified_diff(
        committed.splitlines(), text.splitlines(), "committed", "observed", lineterm=""
    )
    pytest.fail(
        f"{path.relative_to(root)} is stale: the proof now observes otherwise. Review the "
        f"change and write it with `{rerun}`:\n" + "\n".join(diff)
    )


def test_id(item: pytest.Item) -> str:
    """The test's node id without the `@group` pytest-xdist's `loadgroup` appends to it."""
    return ungrouped(item.nodeid) if item.get_closest_marker("xdist_group") else item.nodeid


def write_atomically(path: Path, text: str) -> None:
    """The whole file or none of it: written beside the target, then moved over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
    ) as file:
        file.write(text)
    os.replace(file.name, path)
