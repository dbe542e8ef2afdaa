"""Add users.token_version.

Reviewed by hand: one integer column, NOT NULL with a server default of 0, so the rows that
exist get 0 and every token issued before it (without a version claim) stops working.

Revision ID: 5b1f0c3e9a47
Revises: daea022fab96
Create Date: 2026-12-02 17:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5b1f0c3e9a47"
down_revision: str | Sequence[str] | None = "daea022fab96"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("token_version", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("users", "token_version")
