"""`.env.example` lists every setting of the reference app, and nothing else."""

import re

from app.core.config import Settings
from tests.lint import ROOT


def test_env_example_lists_every_setting() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = re.findall(r"^(APP_[A-Z0-9_]+)=", text, flags=re.MULTILINE)

    assert sorted(listed) == sorted(f"APP_{name.upper()}" for name in Settings.model_fields)
    assert len(listed) == len(set(listed))  # each once
