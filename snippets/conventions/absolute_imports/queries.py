"""A query both tabs import."""

from sqlalchemy import Select, select

from app.models import User


def active_users() -> Select[tuple[User]]:
    return select(User).where(User.is_active)
