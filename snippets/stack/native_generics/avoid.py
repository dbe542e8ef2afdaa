"""`typing` aliases and a module-level TypeVar: the spelling of Python 3.8."""

from typing import Dict, Iterable, List, Optional, Sequence, TypeVar, Union  # expect: ruff:UP035

T = TypeVar("T")


def group_by_initial(names: Iterable[str]) -> Dict[str, List[str]]:  # expect: ruff:UP006
    groups: Dict[str, List[str]] = {}  # expect: ruff:UP006
    for name in names:
        groups.setdefault(name[:1].upper(), []).append(name)
    return groups


def first(items: Sequence[T]) -> Optional[T]:  # expect: ruff:UP045, ruff:UP047
    return items[0] if items else None


def parse_limit(raw: Union[str, int, None]) -> Optional[int]:  # expect: ruff:UP007, ruff:UP045
    return None if raw is None else int(raw)
