"""user preferences (theme)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # "system" follows the browser's prefers-color-scheme; "light" and "dark" pin a theme.
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("theme", sa.String(length=8), nullable=False, server_default="system")
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("theme")
