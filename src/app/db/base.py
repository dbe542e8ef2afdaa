"""The declarative base every ORM model inherits from."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeEngine

# --8<-- [start:base]
# Names for every index and constraint, so that the ones Alembic writes into migrations are
# the ones in the database: a later migration can then drop or alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every `Mapped[datetime]` is `timestamp with time zone`: an instant, read back aware (UTC).
    type_annotation_map: ClassVar[Mapping[Any, TypeEngine[Any]]] = {
        datetime: DateTime(timezone=True)
    }


# --8<-- [end:base]
