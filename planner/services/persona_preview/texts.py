"""The stored texts a persona change can reach, and which of them it could change at all.

A preview must answer while someone types, over thousands of pieces and feed items, so
it loads only the columns an audit reads (no stored audit JSON) and sends to the engine
only the texts whose verdict *can* move:

- texts whose stored audit is missing or stale (made with other persona versions);
- texts that contain a surface form (`lexicons.keyword_forms`, the forms the engine
  matches) of a keyword the change adds, removes or alters, or of any of the persona's
  keywords when its kind or thresholds change: its words whole and in order, in any
  case, with only spaces, punctuation, a possessive or markup between them. A persona
  can only score on its keywords' forms, so this cheap test is a superset; the engine
  decides on every text it lets through.

Everything else keeps its verdict by construction: the other personas are unchanged.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from planner.models import FeedItem, FindingDismissal, Piece, PieceAudit, piece_persona, utcnow
from planner.services import lexicons as lexicon_service
from planner.services.personas.schema import KeywordSpec
from planner.services.pieces import audits as piece_audits

ITEM_DAYS = 30
_WORD = re.compile(r"\w+")
# What may stand between two words of a phrase the engine matches: spaces, punctuation,
# dashes, a possessive `'s`, an HTML tag, a Markdown link target.
_GAP = r"(?:\W|(?<=['\u2019])s\b|<[^<>]*>|\]\([^()]*\))+"


# Unicode format characters (soft hyphen, zero-width space, ...): invisible, and the
# engine reads through them.
def _format_class() -> str:
    """A character class of every Cf code point, as ranges (a long list is slow to scan)."""
    points = [cp for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"]
    ranges: list[list[int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges
    )


_FORMAT_CHARS = re.compile(f"[{_format_class()}]")
_FORMAT_SET = frozenset(
    chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"
)

Stems = list[tuple[str, ...]]


@dataclass
class StoredText:
    """A piece or feed item as the audit reads it, with the verdict stored for it."""

    kind: str  # "piece" | "item"
    id: int
    title: str
    status: str
    body: str
    fmt: str
    summary: str | None
    verdict: str | None
    stale: bool
    targets: list[int] = field(default_factory=list)
    dismissed: list[tuple] = field(default_factory=list)
    _haystack: str | None = None

    @property
    def haystack(self) -> str:
        """The words casefolded, format characters dropped, for `may_contain`."""
        if self._haystack is None:
            text = "\n".join((self.title or "", self.summary or "", self.body or ""))
            if not text.isascii():
                text = unicodedata.normalize("NFKC", text)
                if not _FORMAT_SET.isdisjoint(text):  # a set test is far cheaper than a scan
                    text = _FORMAT_CHARS.sub("", text)
            self._haystack = text.casefold()
        return self._haystack


def _unpublished(workspace_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return Piece.workspace_id == workspace_id, Piece.status != "published"


def _piece_texts(session: Session, workspace_id: int, versions: dict) -> list[StoredText]:
    where = _unpublished(workspace_id)
    latest = (
        select(func.max(PieceAudit.id))
        .join(Piece, Piece.id == PieceAudit.piece_id)
        .where(*where)
        .group_by(PieceAudit.piece_id)
    )
    audited: dict[int, dict] = dict(
        session.execute(
            select(PieceAudit.piece_id, PieceAudit.persona_versions).where(
                PieceAudit.id.in_(latest)
            )
        ).all()
    )
    active = {int(key) for key in versions}
    targets: dict[int, list[int]] = defaultdict(list)
    for piece_id, persona_id in session.execute(
        select(piece_persona.c.piece_id, piece_persona.c.persona_id)
        .join(Piece, Piece.id == piece_persona.c.piece_id)
        .where(*where)
        .order_by(piece_persona.c.persona_id)
    ):
        if persona_id in active:
            targets[piece_id].append(persona_id)
    dismissed: dict[int, list[tuple]] = defaultdict(list)
    for row in session.execute(
        select(
            FindingDismissal.piece_id,
            FindingDismissal.persona_id,
            FindingDismissal.term,
            FindingDismissal.matched_text,
        )
        .join(Piece, Piece.id == FindingDismissal.piece_id)
        .where(*where)
    ):
        dismissed[row[0]].append(tuple(row[1:]))
    rows = session.execute(
        select(
            Piece.id,
            Piece.title,
            Piece.status,
            Piece.body,
            Piece.format,
            Piece.summary,
            Piece.verdict,
        )  # fmt: skip
        .where(*where)
        .order_by(Piece.id)
    )
    return [
        StoredText(
            "piece",
            row.id,
            row.title,
            row.status,
            row.body or "",
            row.format,
            row.summary or None,
            row.verdict,
            row.id not in audited or audited[row.id] != versions,
            targets.get(row.id, []),
            sorted(dismissed.get(row.id, [])),
        )
        for row in rows
    ]


def _item_texts(session: Session, workspace_id: int, versions: dict) -> list[StoredText]:
    since = utcnow() - timedelta(days=ITEM_DAYS)
    rows = session.execute(
        select(
            FeedItem.id,
            FeedItem.title,
            FeedItem.state,
            FeedItem.summary_html,
            FeedItem.verdict,
            FeedItem.persona_versions,
        )
        .where(FeedItem.workspace_id == workspace_id, FeedItem.first_seen_at >= since)
        .order_by(FeedItem.id)
    )
    return [
        StoredText(
            "item",
            row.id,
            row.title or "",
            row.state,
            row.summary_html or "",
            "html",
            None,
            row.verdict,
            row.verdict is None or (row.persona_versions or {}) != versions,
        )
        for row in rows
    ]


def load_texts(session: Session, workspace_id: int) -> list[StoredText]:
    """The workspace's unpublished pieces and its feed items of the last `ITEM_DAYS` days."""
    versions = piece_audits.current_versions(session, workspace_id)
    return _piece_texts(session, workspace_id, versions) + _item_texts(
        session, workspace_id, versions
    )


def keyword_stems(keywords: Iterable[KeywordSpec]) -> Stems:
    """For each surface form of each keyword, the words (casefolded) a matching text holds."""
    stems: set[tuple[str, ...]] = set()
    for keyword in keywords:
        forms = lexicon_service.keyword_forms(
            keyword.term,
            case_sensitive=keyword.case_sensitive,
            forms=keyword.forms,
            exclude=keyword.exclude,
        )
        for form in (keyword.term, *keyword.forms, *forms):
            words = tuple(_WORD.findall(form.casefold()))
            if words:
                stems.add(words)
    return sorted(stems)


@lru_cache(maxsize=64)
def _phrases(stems: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """One expression for every form: each form's words whole, in order, gaps between."""
    forms = "|".join(_GAP.join(re.escape(word) for word in form) for form in stems)
    return re.compile(rf"(?<!\w)(?:{forms})(?!\w)")


@lru_cache(maxsize=64)
def _word_sets(stems: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], list[frozenset]]:
    """The distinct words of all forms, and each form's words as a set."""
    return tuple(sorted({w for form in stems for w in form})), [frozenset(f) for f in stems]


def may_contain(haystack: str, stems: Stems) -> bool:
    """Whether some form is in the text, its words whole and in order (substrings first:
    most texts fail them, and `in` is far cheaper than a regular expression)."""
    key = tuple(stems)
    words, forms = _word_sets(key)
    present = {word for word in words if word in haystack}
    if not any(form <= present for form in forms):
        return False
    return _phrases(key).search(haystack) is not None


def candidates(texts: list[StoredText], stems: Stems) -> list[StoredText]:
    """The texts whose verdict the change could move (see the module's docstring)."""
    return [text for text in texts if text.stale or (stems and may_contain(text.haystack, stems))]
