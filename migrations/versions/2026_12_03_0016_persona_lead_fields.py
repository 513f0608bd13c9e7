"""persona lead fields: company size range, industries, regions

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # Existing personas screen on job titles, keywords and red flags only until these are set.
    with op.batch_alter_table("persona") as batch:
        batch.add_column(sa.Column("company_size_min", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("company_size_max", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("industries", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch.add_column(
            sa.Column("regions", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade():
    with op.batch_alter_table("persona") as batch:
        batch.drop_column("regions")
        batch.drop_column("industries")
        batch.drop_column("company_size_max")
        batch.drop_column("company_size_min")
