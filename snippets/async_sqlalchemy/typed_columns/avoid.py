"""1.x-style `Column()` attributes: nullable unless told otherwise, and opaque to mypy."""

from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class LegacyUser(Base):
    __tablename__ = "legacy_users"

    id = Column(Integer, primary_key=True)  # expect: RB306
    # expect: RB306
    email = Column(String, unique=True, index=True)  # nullable=True unless said otherwise
    full_name = Column(String)  # expect: RB306
    hashed_password = Column(String)  # expect: RB306
    # expect: RB306
    is_active = Column(Boolean, default=True)  # set by the ORM in Python, not by the database
    # expect: RB306
    created_at = Column(DateTime, default=datetime.now)  # the app's clock, no time zone


def display_name(user: LegacyUser) -> str:
    return user.full_name or user.email
