"""Timing proofs run last and alone: after every other test, with no other worker running;
under pytest-xdist, slow tests go first.

A test marked `timing` measures time on purpose, so anything running beside it (another xdist
worker's mypy, a site build) would make its figures lie. In a run on one process the timing
tests are moved to the end of the collection. Under pytest-xdist (`--dist loadgroup`, the
project's default) they form one group, `timing`, which the scheduler below holds back: once
every other test has been handed out, the other workers are shut down, and when they are gone
the group goes to the one worker left.

xdist hands the tests out in collection order, so a slow test collected late (the Zensical
build, a few seconds) kept one worker busy while the other had nothing left to do. Under xdist
the `slow` tests are moved to the front: the run ends on tests of milliseconds, which even out.
"""

from typing import Any

import pytest

# xdist ships no py.typed: its classes are Any to mypy.
from xdist.scheduler import LoadGroupScheduling  # type: ignore[import-untyped]
from xdist.workermanage import WorkerController  # type: ignore[import-untyped]

TIMING_MARKER = "timing"
SLOW_MARKER = "slow"
TIMING_GROUP = "timing"  # the xdist_group the timing tests are put in


@pytest.hookimpl(tryfirst=True)  # before xdist names the tests by their group
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the timing tests to the end; under xdist, also put them in the `timing` group and
    move the slow tests to the front."""
    timing = [item for item in items if item.get_closest_marker(TIMING_MARKER) is not None]
    others = [item for item in items if item.get_closest_marker(TIMING_MARKER) is None]
    if getattr(config, "workerinput", None) is None:
        items[:] = others + timing
        return  # one process: running them last is enough, and the order costs nothing
    slow = [item for item in others if item.get_closest_marker(SLOW_MARKER) is not None]
    quick = [item for item in others if item.get_closest_marker(SLOW_MARKER) is None]
    items[:] = slow + quick + timing
    for item in timing:
        if item.get_closest_marker("xdist_group") is not None:
            raise pytest.UsageError(
                f"{item.nodeid} is marked both `timing` and `xdist_group`: a timing test runs "
                f"in the `{TIMING_GROUP}` group only"
            )
        item.add_marker(pytest.mark.xdist_group(TIMING_GROUP))


class TimingLastScheduling(LoadGroupScheduling):  # type: ignore[misc]
    """xdist's `loadgroup` scheduling, with the `timing` group held back until it can run alone."""

    def _assign_work_unit(self, node: WorkerController) -> None:
        if TIMING_GROUP not in self.workqueue:
            super()._assign_work_unit(node)
        elif len(self.workqueue) > 1:
            self.workqueue.move_to_end(TIMING_GROUP)  # every other unit goes first
            super()._assign_work_unit(node)
        elif list(self.assigned_work) == [node]:  # the one worker left
            super()._assign_work_unit(node)
            node.shutdown()
        # Otherwise the timing group waits for the other workers to leave (remove_node).

    def _reschedule(self, node: WorkerController) -> None:
        if list(self.workqueue) != [TIMING_GROUP] or node.shutting_down:
            super()._reschedule(node)
            return
        # Only the timing group is left: this worker (the first to get here) will run it; the
        # others get no more work and stop once their own queue is done.
        for other in self.assigned_work:
            if other is not node and not other.shutting_down:
                other.shutdown()
        self._assign_work_unit(node)

    def remove_node(self, node: WorkerController) -> str | None:
        crashed: str | None = super().remove_node(node)
        if list(self.workqueue) == [TIMING_GROUP] and len(self.assigned_work) == 1:
            (last,) = self.assigned_work
            self._assign_work_unit(last)
        return crashed


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # before xdist's own choice
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> TimingLastScheduling | None:
    """`--dist loadgroup` (the project's default), with the timing tests last and alone."""
    if config.getvalue("dist") == "loadgroup":
        return TimingLastScheduling(config, log)
    return None
