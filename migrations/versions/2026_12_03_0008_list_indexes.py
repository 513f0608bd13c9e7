"""indexes that fit every list's filters and sort; audit summaries for lists

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:00:00

Lists (the drafts page, the pieces API, the dashboard, the calendar) filter by workspace
and sort by a time or the title: each such pair gets an index, so a page costs what it
shows, not what the workspace holds. `piece_audit.summary` keeps what a list shows of an
audit, and `piece.audit_versions_key` a fingerprint of the persona versions of a piece's
latest audit (the stale count is an index count); audits stored before get both here,
with frozen copies of `services/pieces/summary.summarize` and `versions_key`.
"""

import hashlib
import json
from collections import Counter

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PIECE_INDEXES = (
    ("ix_piece_ws_updated", ["workspace_id", "updated_at", "id"]),
    ("ix_piece_ws_created", ["workspace_id", "created_at", "id"]),
    ("ix_piece_ws_scheduled", ["workspace_id", "scheduled_at", "id"]),
    ("ix_piece_ws_title", ["workspace_id", "title", "id"]),
    ("ix_piece_ws_status_updated", ["workspace_id", "status", "updated_at"]),
    ("ix_piece_ws_status_scheduled", ["workspace_id", "status", "scheduled_at"]),
    ("ix_piece_ws_audit_key", ["workspace_id", "audit_versions_key", "status"]),
    ("ix_piece_ws_verdict_status", ["workspace_id", "verdict", "status", "updated_at"]),
)
BATCH = 500


def _summarize(result):
    result = result or {}
    findings = result.get("findings", [])
    counts = dict(Counter(str(f.get("level")) for f in findings))
    counts["total"] = len(findings) + int(result.get("omitted_findings", 0))
    return {
        "verdict": result.get("verdict"),
        "word_count": result.get("word_count"),
        "findings": counts,
        "personas": [
            {k: p.get(k) for k in ("id", "name", "kind", "score", "level")}
            for p in result.get("personas", [])
        ],
        "warnings": len(result.get("warnings", [])),
    }


def _versions_key(persona_versions):
    canonical = json.dumps(sorted((persona_versions or {}).items()), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def upgrade():
    with op.batch_alter_table("piece") as batch:
        batch.add_column(sa.Column("audit_versions_key", sa.String(length=64), nullable=True))
    for name, columns in PIECE_INDEXES:
        op.create_index(name, "piece", columns)
    with op.batch_alter_table("piece_audit") as batch:
        batch.add_column(sa.Column("summary", sa.JSON(), nullable=True))
    op.create_index("ix_piece_audit_piece_latest", "piece_audit", ["piece_id", "id"])
    audits = sa.table(
        "piece_audit",
        sa.column("id", sa.Integer),
        sa.column("piece_id", sa.Integer),
        sa.column("result", sa.JSON),
        sa.column("persona_versions", sa.JSON),
        sa.column("summary", sa.JSON),
    )
    pieces = sa.table(
        "piece", sa.column("id", sa.Integer), sa.column("audit_versions_key", sa.String)
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(audits.c.id, audits.c.piece_id, audits.c.result, audits.c.persona_versions)
            .where(audits.c.id > last)
            .order_by(audits.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for audit_id, piece_id, result, versions in rows:
            conn.execute(
                audits.update().where(audits.c.id == audit_id).values(summary=_summarize(result))
            )
            # Audits come in id order: each piece ends with its latest audit's key.
            conn.execute(
                pieces.update()
                .where(pieces.c.id == piece_id)
                .values(audit_versions_key=_versions_key(versions))
            )
        last = rows[-1][0]


def downgrade():
    op.drop_index("ix_piece_audit_piece_latest", table_name="piece_audit")
    with op.batch_alter_table("piece_audit") as batch:
        batch.drop_column("summary")
    for name, _columns in reversed(PIECE_INDEXES):
        op.drop_index(name, table_name="piece")
    with op.batch_alter_table("piece") as batch:
        batch.drop_column("audit_versions_key")
