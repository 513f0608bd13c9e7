"""screened leads: kept-leads setting, retention, stored leads, column mappings

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workspace") as batch:
        batch.add_column(
            sa.Column(
                "keep_screened_leads", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(
            sa.Column("lead_retention_days", sa.Integer(), nullable=False, server_default="30")
        )
    op.create_table(
        "screened_lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("email", sa.String(length=1000), nullable=False),
        sa.Column("company", sa.String(length=1000), nullable=False),
        sa.Column("job_title", sa.String(length=1000), nullable=False),
        sa.Column("company_size", sa.Integer(), nullable=True),
        sa.Column("industry", sa.String(length=1000), nullable=False),
        sa.Column("country", sa.String(length=1000), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("buyer_persona", sa.String(length=120), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_screened_lead_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screened_lead")),
    )
    op.create_index(
        "ix_screened_lead_ws_screened_at", "screened_lead", ["workspace_id", "screened_at"]
    )
    op.create_table(
        "lead_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_lead_mapping_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_mapping")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_lead_mapping_workspace_id_name")),
    )
    op.create_index(op.f("ix_lead_mapping_workspace_id"), "lead_mapping", ["workspace_id"])


def downgrade():
    op.drop_index(op.f("ix_lead_mapping_workspace_id"), table_name="lead_mapping")
    op.drop_table("lead_mapping")
    op.drop_index("ix_screened_lead_ws_screened_at", table_name="screened_lead")
    op.drop_table("screened_lead")
    with op.batch_alter_table("workspace") as batch:
        batch.drop_column("lead_retention_days")
        batch.drop_column("keep_screened_leads")
