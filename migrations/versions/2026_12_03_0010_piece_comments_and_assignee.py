"""piece comments and assignee

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("piece") as batch:
        batch.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_piece_assignee_id"), ["assignee_id"])
        batch.create_foreign_key(
            batch.f("fk_piece_assignee_id_user_account"),
            "user_account",
            ["assignee_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "piece_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("piece_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["piece_id"],
            ["piece.id"],
            name=op.f("fk_piece_comment_piece_id_piece"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_piece_comment_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_piece_comment")),
    )
    op.create_index(op.f("ix_piece_comment_piece_id"), "piece_comment", ["piece_id"])


def downgrade():
    op.drop_index(op.f("ix_piece_comment_piece_id"), table_name="piece_comment")
    op.drop_table("piece_comment")
    with op.batch_alter_table("piece") as batch:
        batch.drop_constraint(batch.f("fk_piece_assignee_id_user_account"), type_="foreignkey")
        batch.drop_index(batch.f("ix_piece_assignee_id"))
        batch.drop_column("assignee_id")
