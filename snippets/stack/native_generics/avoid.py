"""`typing` aliases and a module-level TypeVar: the spelling of Python 3.8."""

from typing import Dict, Iterable, List, Optional, Sequence, TypeVar, Union

T = TypeVar("T")


def group_by_initial(names: Iterable[str]) -> Dict[str, List[str]]:
    groups: Dict[str, List[str]] = {}
    for name in names:
        groups.setdefault(name[:1].upper(), []).append(name)
    return groups


def first(items: Sequence[T]) -> Optional[T]:
    return items[0] if items else None


def parse_limit(raw: Union[str, int, None]) -> Optional[int]:
    return None if raw is None else int(raw)
