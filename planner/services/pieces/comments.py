"""Comments on a piece: who said what, and when, beside the draft.

Any member reads them; editors and owners add them (a viewer follows the conversation
but does not join it). A comment is not an edit of the piece: it neither bumps the
piece's `version` (an open editor stays current) nor re-audits it. Bodies are plain text,
shown escaped, at most `MAX_COMMENT` characters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.errors import ValidationError
from planner.models import Piece, PieceComment
from planner.services.access import Actor

MAX_COMMENT = 4000


def list_comments(session: Session, piece: Piece) -> list[PieceComment]:
    """The piece's comments, oldest first (a conversation reads top to bottom).

    `piece` was loaded through the workspace's scope (`service.get_piece`), so the caller
    is a member of its workspace; every role may read.
    """
    query = (
        select(PieceComment)
        .where(PieceComment.piece_id == piece.id)
        .options(selectinload(PieceComment.user))
        .order_by(PieceComment.created_at, PieceComment.id)
    )
    return list(session.scalars(query))


def check_body(data: Any) -> str:
    """The comment's text from `{"body": ...}`: required, plain text, within the limit."""
    if not isinstance(data, dict):
        raise ValidationError("The comment must be a JSON object.", {"": "must be an object"})
    unknown = [key for key in data if key != "body"]
    if unknown:
        raise ValidationError(
            f"Check the comment's {', '.join(unknown)}.",
            {key: "unknown field; comments have body" for key in unknown},
        )
    body = data.get("body")
    if not isinstance(body, str):
        raise ValidationError("Write the comment.", {"body": "is required (text)"})
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError("Write the comment.", {"body": "is required"})
    if len(body) > MAX_COMMENT:
        raise ValidationError(
            f"The comment is {len(body):,} characters; comments take at most {MAX_COMMENT:,}.",
            {"body": f"at most {MAX_COMMENT:,} characters"},
        )
    return body


def add_comment(session: Session, actor: Actor, piece: Piece, data: Any) -> PieceComment:
    """Add the actor's comment to `piece` (editors and owners); the face commits."""
    actor.require("editor", "comment on pieces")
    comment = PieceComment(piece_id=piece.id, user_id=actor.user_id, body=check_body(data))
    session.add(comment)
    session.flush()
    return comment
