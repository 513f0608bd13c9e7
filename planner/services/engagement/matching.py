"""Which piece a result row is about: by URL, then piece id, then exact title on the same day.

`normalize_url` is pure; `PieceIndex` loads the workspace's pieces once per import or
preview and answers every row from memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Channel, Piece

DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalize_url(url: str | None) -> str | None:
    """A URL as two spellings of one address agree on it.

    Scheme and host lowercased, default port, fragment and `utm_*` parameters dropped,
    a trailing slash ignored; the path and the other parameters keep their case and order.
    `http` and `https` count as one address (sites redirect one to the other).
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip() or None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url.strip() or None
    host = parts.hostname.lower()
    if port is not None and str(port) != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_")
    ]
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, urlencode(query), ""))


def title_key(title: str | None) -> str:
    return " ".join((title or "").split()).casefold()


@dataclass(frozen=True)
class Match:
    piece_id: int
    title: str
    by: str  # "url", "piece id" or "title and day"


@dataclass
class PieceIndex:
    """The workspace's pieces, by normalized URL, id and (title, local day)."""

    zone: ZoneInfo
    by_url: dict[str, tuple[int, str]] = field(default_factory=dict)
    by_id: dict[int, str] = field(default_factory=dict)
    by_title_day: dict[tuple[str, date], list[tuple[int, str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, workspace_id: int, timezone: str) -> PieceIndex:
        index = cls(ZoneInfo(timezone))
        rows = session.execute(
            select(Piece.id, Piece.title, Piece.url, Piece.scheduled_at, Piece.channel_id)
            .where(Piece.workspace_id == workspace_id)
            .order_by(Piece.id)
        )
        channel_names = _channel_names(session, workspace_id)
        for piece_id, title, url, scheduled_at, channel_id in rows:
            index.by_id[piece_id] = title
            key = normalize_url(url)
            if key:
                index.by_url.setdefault(key, (piece_id, title))
            if scheduled_at is not None:
                day = scheduled_at.astimezone(index.zone).date()
                channel = channel_names.get(channel_id, "") if channel_id else ""
                entry = (piece_id, title, channel)
                index.by_title_day.setdefault((title_key(title), day), []).append(entry)
        return index

    def find(
        self,
        url_key: str | None,
        piece_id: int | None,
        title: str | None,
        published_at: datetime,
        channel: str | None,
    ) -> Match | None:
        """The piece a row is about, or None; the first rule that finds one decides.

        `url_key` is the row's URL through `normalize_url`.
        """
        if url_key and url_key in self.by_url:
            found_id, found_title = self.by_url[url_key]
            return Match(found_id, found_title, "url")
        if piece_id is not None and piece_id in self.by_id:
            return Match(piece_id, self.by_id[piece_id], "piece id")
        if title and title_key(title):
            day = published_at.astimezone(self.zone).date()
            candidates = self.by_title_day.get((title_key(title), day), [])
            if candidates:
                # Two pieces with one title on one day: the one on the row's channel.
                wanted = (channel or "").casefold()
                chosen = next((c for c in candidates if wanted and c[2] == wanted), None)
                found_id, found_title, _ = chosen or candidates[0]
                return Match(found_id, found_title, "title and day")
        return None


def _channel_names(session: Session, workspace_id: int) -> dict[int, str]:
    rows: Iterable[tuple[int, str]] = session.execute(
        select(Channel.id, Channel.name).where(Channel.workspace_id == workspace_id)
    )
    return {channel_id: name.casefold() for channel_id, name in rows}
