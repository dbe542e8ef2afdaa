"""A SQLAlchemy 1.x model and query: untyped columns and `session.query()`."""

from sqlalchemy import Boolean, Column, Integer, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.declarative import declarative_base

Base = declarative_base()  # expect: RB106


class User(Base):
    __tablename__ = "legacy_users"

    id = Column(Integer, primary_key=True)  # expect: RB306
    email = Column(String, unique=True, nullable=False)  # expect: RB306
    full_name = Column(String)  # expect: RB306
    is_active = Column(Boolean, default=True)  # expect: RB306


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    return session.query(User).filter_by(email=email).first()  # expect: RB305


async def count_active(session: AsyncSession) -> int:
    return session.query(User).filter(User.is_active).count()  # expect: RB305


def display_name(user: User) -> str:
    return user.full_name or user.email
