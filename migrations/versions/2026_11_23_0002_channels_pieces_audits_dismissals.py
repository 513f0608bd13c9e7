"""channels, pieces, their target personas, audit history and dismissed findings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:01:35.293305

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # piece.channel_id has no ON DELETE: a channel in use is refused (409) by the service.
    op.create_table(
        "channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("min_gap_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_channel_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_channel_workspace_id_name")),
    )
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "piece",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=8), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_by", sa.Integer(), nullable=True),
        sa.Column("override_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("override_text_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"], name=op.f("fk_piece_channel_id_channel")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_piece_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["override_by"],
            ["user_account.id"],
            name=op.f("fk_piece_override_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_piece_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_piece")),
    )
    with op.batch_alter_table("piece", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_piece_channel_id"), ["channel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_piece_scheduled_at"), ["scheduled_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_piece_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_piece_verdict"), ["verdict"], unique=False)
        batch_op.create_index(batch_op.f("ix_piece_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "finding_dismissal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("piece_id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("matched_text", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("dismissed_by", sa.Integer(), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dismissed_by"],
            ["user_account.id"],
            name=op.f("fk_finding_dismissal_dismissed_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["persona.id"],
            name=op.f("fk_finding_dismissal_persona_id_persona"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["piece_id"],
            ["piece.id"],
            name=op.f("fk_finding_dismissal_piece_id_piece"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_dismissal")),
        sa.UniqueConstraint(
            "piece_id",
            "persona_id",
            "term",
            "matched_text",
            name=op.f("uq_finding_dismissal_piece_id_persona_id_term_matched_text"),
        ),
    )
    with op.batch_alter_table("finding_dismissal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_dismissal_persona_id"), ["persona_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_finding_dismissal_piece_id"), ["piece_id"], unique=False
        )

    op.create_table(
        "piece_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("piece_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trigger", sa.String(length=24), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("persona_versions", sa.JSON(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["piece_id"],
            ["piece.id"],
            name=op.f("fk_piece_audit_piece_id_piece"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_piece_audit")),
    )
    with op.batch_alter_table("piece_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_piece_audit_piece_id"), ["piece_id"], unique=False)

    op.create_table(
        "piece_persona",
        sa.Column("piece_id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["persona.id"],
            name=op.f("fk_piece_persona_persona_id_persona"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["piece_id"],
            ["piece.id"],
            name=op.f("fk_piece_persona_piece_id_piece"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("piece_id", "persona_id", name=op.f("pk_piece_persona")),
    )
    with op.batch_alter_table("piece_persona", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_piece_persona_persona_id"), ["persona_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("piece_persona", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_piece_persona_persona_id"))

    op.drop_table("piece_persona")
    with op.batch_alter_table("piece_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_piece_audit_piece_id"))

    op.drop_table("piece_audit")
    with op.batch_alter_table("finding_dismissal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_dismissal_piece_id"))
        batch_op.drop_index(batch_op.f("ix_finding_dismissal_persona_id"))

    op.drop_table("finding_dismissal")
    with op.batch_alter_table("piece", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_piece_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_piece_verdict"))
        batch_op.drop_index(batch_op.f("ix_piece_status"))
        batch_op.drop_index(batch_op.f("ix_piece_scheduled_at"))
        batch_op.drop_index(batch_op.f("ix_piece_channel_id"))

    op.drop_table("piece")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_workspace_id"))

    op.drop_table("channel")
