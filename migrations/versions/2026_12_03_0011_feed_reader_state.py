"""feed reader state (seen, dismiss undo, OPML)

Feed items get `seen_at` (set by "Mark all seen"; unseen items are marked in the inbox)
and `dismissed_at` (when the item was dismissed; cleared when it is restored or a dismiss
is undone). Both are nullable: existing items start unseen, and dismissed ones keep no
time. OPML import adds feeds through the existing `feed` table and needs no column.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feed_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("feed_item", schema=None) as batch_op:
        batch_op.drop_column("dismissed_at")
        batch_op.drop_column("seen_at")
