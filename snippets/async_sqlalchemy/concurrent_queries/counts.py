"""What both tabs compute: three independent counts of the `users` table."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import User

USERS = select(func.count()).select_from(User)
ACTIVE = USERS.where(User.is_active)
ADMINS = USERS.where(User.is_admin)


@dataclass(frozen=True)
class UserCounts:
    total: int
    active: int
    admins: int
