"""Stand-ins for slow work, shared by the Do and the Avoid: each takes WORK_SECONDS."""

import time
from typing import Annotated

from fastapi import Depends

WORK_SECONDS = 0.1


def render_pdf(report: str) -> bytes:
    """A blocking library call with no async version: a PDF renderer, a sync SDK, heavy CPU."""
    time.sleep(WORK_SECONDS)
    return f"%PDF-1.7 {report}".encode()


def get_rates_url() -> str:
    """An upstream HTTP API the service calls (tests point it at a local server)."""
    return "https://rates.example.com/latest"


RatesURL = Annotated[str, Depends(get_rates_url)]
