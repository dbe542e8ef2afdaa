"""Benchmarks: `uv run python -m benchmarks` for the budgets; rule pages quote the others,
`uv run python -m benchmarks.<name>`."""
