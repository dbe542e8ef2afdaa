"""Code under test: teams and their members, with the constraints the schema declares."""

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))


async def create_team(session: AsyncSession, name: str) -> Team:
    team = Team(name=name)
    session.add(team)
    await session.flush()
    return team


async def add_member(session: AsyncSession, team_id: int) -> Member:
    member = Member(team_id=team_id)
    session.add(member)
    await session.flush()
    return member


async def find_teams(session: AsyncSession, prefix: str) -> list[str]:
    stmt = select(Team.name).where(Team.name.like(f"{prefix}%")).order_by(Team.name)
    return list(await session.scalars(stmt))
