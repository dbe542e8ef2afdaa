"""The ``users`` table: every column typed, nullability read from the annotation."""

from datetime import datetime

from sqlalchemy import false, func, text, true
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


# --8<-- [start:user]
class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(unique=True, index=True)
    full_name: Mapped[str | None] = mapped_column()  # `| None`: the column accepts NULL
    hashed_password: Mapped[str] = mapped_column()
    is_active: Mapped[bool] = mapped_column(server_default=true())
    is_admin: Mapped[bool] = mapped_column(server_default=false())
    # Filled by PostgreSQL at INSERT, whoever inserts the row: the ORM, a script, a migration.
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Raised by every change of password or e-mail; tokens carry it, and older ones stop working.
    token_version: Mapped[int] = mapped_column(server_default=text("0"))


# --8<-- [end:user]
