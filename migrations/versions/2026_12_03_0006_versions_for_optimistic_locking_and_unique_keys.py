"""versions for optimistic locking and unique keys

Pieces get `version` and personas `revision` (every saved change bumps it; both start at
1), each with `updated_by_id`. A persona keyword is unique per (persona, term, case
setting): duplicates left by concurrent saves are deleted, the first row of each is kept.
Channels get `name_key` (NFKC, casefolded, as `models.channel.channel_key`), unique per
workspace; a channel whose key another channel of its workspace already has (`Blog` and
`blog` on SQLite) is renamed `<name> (2)`, `(3)`, ..., so no piece loses its channel.
Persona names per workspace and dismissals were unique already.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 06:00:00

"""

import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    # A copy of models.channel.channel_key as of this revision: migrations do not import models.
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


def _add_version(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(column, sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f(f"fk_{table}_updated_by_id_user_account"),
            "user_account",
            ["updated_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def _drop_duplicate_keywords(bind) -> None:
    rows = bind.execute(
        sa.text("SELECT id, persona_id, term, case_sensitive FROM persona_keyword ORDER BY id")
    ).all()
    seen: set[tuple] = set()
    doomed = []
    for row in rows:
        key = (row.persona_id, row.term, bool(row.case_sensitive))
        if key in seen:
            doomed.append(row.id)
        seen.add(key)
    for start in range(0, len(doomed), 500):
        bind.execute(
            sa.text("DELETE FROM persona_keyword WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": doomed[start : start + 500]},
        )


def _backfill_channel_keys(bind) -> None:
    channel = sa.table(
        "channel",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
    rows = bind.execute(sa.text("SELECT id, workspace_id, name FROM channel ORDER BY id")).all()
    taken = {(row.workspace_id, _key(row.name)) for row in rows}
    kept: set[tuple] = set()
    for row in rows:
        name, key = row.name, _key(row.name)
        if (row.workspace_id, key) in kept:
            stem, n = row.name[:74], 2
            while (row.workspace_id, _key(f"{stem} ({n})")) in taken:
                n += 1
            name = f"{stem} ({n})"
            key = _key(name)
            taken.add((row.workspace_id, key))
        kept.add((row.workspace_id, key))
        bind.execute(channel.update().where(channel.c.id == row.id).values(name=name, name_key=key))


def upgrade():
    bind = op.get_bind()
    _add_version("piece", "version")
    _add_version("persona", "revision")

    _drop_duplicate_keywords(bind)
    with op.batch_alter_table("persona_keyword", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_persona_keyword_persona_id_term_case_sensitive"),
            ["persona_id", "term", "case_sensitive"],
        )

    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=320), nullable=True))
    _backfill_channel_keys(bind)
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=320), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_channel_workspace_id_name_key"), ["workspace_id", "name_key"]
        )


def downgrade():
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_channel_workspace_id_name_key"), type_="unique")
        batch_op.drop_column("name_key")
    with op.batch_alter_table("persona_keyword", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_persona_keyword_persona_id_term_case_sensitive"), type_="unique"
        )
    for table, column in (("persona", "revision"), ("piece", "version")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_updated_by_id_user_account"), type_="foreignkey"
            )
            batch_op.drop_column("updated_by_id")
            batch_op.drop_column(column)
