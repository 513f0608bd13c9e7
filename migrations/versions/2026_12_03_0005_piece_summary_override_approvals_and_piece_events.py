"""piece summary, override approvals by blocking match, and piece events

An override used to approve a text hash; it now approves the blocking matches of the
audit it was given on. Overrides in force are carried over with the blocking matches of
the piece's latest audit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:00:00

"""

import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _blocking_keys(result) -> list:
    if isinstance(result, str):
        result = json.loads(result)
    keys = []
    for persona in (result or {}).get("personas", []):
        if persona.get("kind") != "negative" or persona.get("level") != "block":
            continue
        for match in persona.get("matches", []):
            if not match.get("dismissed"):
                key = [persona["id"], match["term"], match["text"].casefold()]
                if key not in keys:
                    keys.append(key)
    return keys


def upgrade():
    op.create_table(
        "piece_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("piece_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["piece_id"],
            ["piece.id"],
            name=op.f("fk_piece_event_piece_id_piece"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_piece_event_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_piece_event")),
    )
    with op.batch_alter_table("piece_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_piece_event_piece_id"), ["piece_id"], unique=False)

    with op.batch_alter_table("piece", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("override_matches", sa.JSON(), nullable=True))

    bind = op.get_bind()
    piece = sa.table(
        "piece",
        sa.column("id", sa.Integer),
        sa.column("override_matches", sa.JSON),
        sa.column("override_at", sa.DateTime(timezone=True)),
        sa.column("override_by", sa.Integer),
        sa.column("override_reason", sa.Text),
    )
    overridden = bind.execute(
        sa.text("SELECT id, override_text_hash FROM piece WHERE override_at IS NOT NULL")
    ).all()
    for piece_id, approved_hash in overridden:
        latest = bind.execute(
            sa.text(
                "SELECT result, text_hash FROM piece_audit WHERE piece_id = :id "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"id": piece_id},
        ).first()
        if latest is not None and latest.text_hash == approved_hash:
            keys = _blocking_keys(latest.result)
            bind.execute(piece.update().where(piece.c.id == piece_id).values(override_matches=keys))
        else:  # the override had already lapsed: the text changed since
            bind.execute(
                piece.update()
                .where(piece.c.id == piece_id)
                .values(override_at=None, override_by=None, override_reason=None)
            )

    with op.batch_alter_table("piece", schema=None) as batch_op:
        batch_op.drop_column("override_text_hash")


def downgrade():
    with op.batch_alter_table("piece", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_text_hash", sa.String(length=64), nullable=True))
        batch_op.drop_column("override_matches")
        batch_op.drop_column("summary")
    with op.batch_alter_table("piece_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_piece_event_piece_id"))
    op.drop_table("piece_event")
