"""Builtin generics, `X | Y` unions and type parameters: Python 3.14 needs no `typing` aliases."""

from collections.abc import Iterable, Sequence

type Groups = dict[str, list[str]]


def group_by_initial(names: Iterable[str]) -> Groups:
    groups: Groups = {}
    for name in names:
        groups.setdefault(name[:1].upper(), []).append(name)
    return groups


def first[T](items: Sequence[T]) -> T | None:
    return items[0] if items else None


def parse_limit(raw: str | int | None) -> int | None:
    return None if raw is None else int(raw)
