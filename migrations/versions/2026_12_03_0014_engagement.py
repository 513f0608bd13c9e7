"""engagement: imported post results, saved column mappings, piece url

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("piece") as batch:
        batch.add_column(sa.Column("url", sa.String(length=2000), nullable=True))
        batch.create_index("ix_piece_ws_url", ["workspace_id", "url"])
    op.create_table(
        "engagement_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_engagement_source_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_source")),
        sa.UniqueConstraint(
            "workspace_id", "name", name=op.f("uq_engagement_source_workspace_id_name")
        ),
    )
    op.create_index(
        op.f("ix_engagement_source_workspace_id"), "engagement_source", ["workspace_id"]
    )
    op.create_table(
        "engagement_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("row_key", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=120), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("piece_id", sa.Integer(), nullable=True),
        sa.Column("impressions", sa.Integer(), nullable=True),
        sa.Column("clicks", sa.Integer(), nullable=True),
        sa.Column("engagements", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_engagement_row_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["engagement_source.id"],
            name=op.f("fk_engagement_row_source_id_engagement_source"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["piece_id"],
            ["piece.id"],
            name=op.f("fk_engagement_row_piece_id_piece"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_row")),
        sa.UniqueConstraint(
            "source_id", "row_key", name=op.f("uq_engagement_row_source_id_row_key")
        ),
    )
    op.create_index(op.f("ix_engagement_row_workspace_id"), "engagement_row", ["workspace_id"])
    op.create_index(op.f("ix_engagement_row_piece_id"), "engagement_row", ["piece_id"])
    op.create_index(
        "ix_engagement_row_ws_published", "engagement_row", ["workspace_id", "published_at"]
    )


def downgrade():
    op.drop_index("ix_engagement_row_ws_published", table_name="engagement_row")
    op.drop_index(op.f("ix_engagement_row_piece_id"), table_name="engagement_row")
    op.drop_index(op.f("ix_engagement_row_workspace_id"), table_name="engagement_row")
    op.drop_table("engagement_row")
    op.drop_index(op.f("ix_engagement_source_workspace_id"), table_name="engagement_source")
    op.drop_table("engagement_source")
    with op.batch_alter_table("piece") as batch:
        batch.drop_index("ix_piece_ws_url")
        batch.drop_column("url")
