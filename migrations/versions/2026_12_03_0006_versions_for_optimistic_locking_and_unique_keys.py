"""versions for optimistic locking and unique keys

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 06:00:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
