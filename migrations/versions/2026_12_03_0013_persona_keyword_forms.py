"""persona keyword forms: extra surface forms a keyword matches, and forms it must not

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("persona_keyword") as batch:
        batch.add_column(sa.Column("forms", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("exclude", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("persona_keyword") as batch:
        batch.drop_column("exclude")
        batch.drop_column("forms")
