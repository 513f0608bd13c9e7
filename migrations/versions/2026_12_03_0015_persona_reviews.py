"""persona reviews: review interval, reviewed_at and review history

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # Existing personas have never been reviewed: their period starts at `created_at`.
    with op.batch_alter_table("persona") as batch:
        batch.add_column(
            sa.Column("review_every_days", sa.Integer(), nullable=False, server_default="90")
        )
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "persona_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_persona_review_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["persona.id"],
            name=op.f("fk_persona_review_persona_id_persona"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["user_account.id"],
            name=op.f("fk_persona_review_reviewed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persona_review")),
    )
    op.create_index(op.f("ix_persona_review_workspace_id"), "persona_review", ["workspace_id"])
    op.create_index(
        "ix_persona_review_persona_reviewed", "persona_review", ["persona_id", "reviewed_at"]
    )


def downgrade():
    op.drop_index("ix_persona_review_persona_reviewed", table_name="persona_review")
    op.drop_index(op.f("ix_persona_review_workspace_id"), table_name="persona_review")
    op.drop_table("persona_review")
    with op.batch_alter_table("persona") as batch:
        batch.drop_column("reviewed_at")
        batch.drop_column("review_every_days")
