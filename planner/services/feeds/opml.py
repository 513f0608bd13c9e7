"""Read and write OPML subscription lists, the format feed readers import and export.

Pure: bytes in, dataclasses out, and back. An OPML file comes from a person's upload, so
it is parsed with defusedxml and any DTD is refused (no entity expansion, no external
entities); it must be UTF-8 unless its XML declaration names another encoding. Folders
(outlines holding outlines) are read through and named on each feed they hold; the
planner itself keeps feeds in one flat list, so an export has no folders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from planner.errors import ValidationError

MAX_OPML_BYTES = 2 * 2**20
MAX_OPML_FEEDS = 1000
MAX_FOLDER_DEPTH = 32
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]{1,40})["']""")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription: the feed's URL, its title, and the folder path it sat in."""

    url: str
    title: str
    folder: str  # "News / Tech"; "" at the top level


@dataclass(frozen=True)
class ExportFeed:
    url: str
    title: str
    site_url: str | None


def parse_opml(content: bytes) -> list[OpmlFeed]:
    """Return the feeds an OPML file lists, in order; a bad file is one ValidationError.

    Bad means: empty, too large, not UTF-8 (unless declared otherwise), malformed XML, a
    DTD (entity expansion), not OPML, or no outline with an `xmlUrl`.
    """
    if not content or not content.strip():
        raise _bad("the file is empty")
    if len(content) > MAX_OPML_BYTES:
        raise _bad(f"the file is larger than {MAX_OPML_BYTES // 2**20} MB")
    _check_encoding(content)
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise _bad(
            "the file declares a DTD or entities, which OPML never needs; refused "
            f"(entity expansion protection: {type(error).__name__})"
        ) from error
    except ParseError as error:
        raise _bad(f"malformed XML: {error}") from error
    if _local(root.tag) != "opml":
        raise _bad(f"the root element is <{_local(root.tag)}>, not <opml>")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise _bad("there is no <body> element")
    feeds = list(_outlines(body, (), 0))
    if not feeds:
        raise _bad("no outline has an xmlUrl, so there is no feed to import")
    if len(feeds) > MAX_OPML_FEEDS:
        raise _bad(f"it lists {len(feeds):,} feeds; at most {MAX_OPML_FEEDS:,} at a time")
    return feeds


def build_opml(feeds: Iterable[ExportFeed], *, title: str, now: datetime | None = None) -> bytes:
    """Return an OPML 2.0 document listing `feeds`, as feed readers import it."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC), usegmt=True)
    body = SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.url}
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        SubElement(body, "outline", attributes)
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _outlines(parent: Element, folders: tuple[str, ...], depth: int) -> Iterable[OpmlFeed]:
    if depth > MAX_FOLDER_DEPTH:
        raise _bad(f"folders are nested more than {MAX_FOLDER_DEPTH} deep")
    for outline in parent:
        if _local(outline.tag) != "outline":
            continue
        attributes = {name.lower(): value for name, value in outline.attrib.items()}
        label = " ".join((attributes.get("title") or attributes.get("text") or "").split())
        url = (attributes.get("xmlurl") or "").strip()
        if url:
            yield OpmlFeed(url=url, title=label[:300], folder=" / ".join(folders))
        yield from _outlines(outline, (*folders, label) if label else folders, depth + 1)


def _check_encoding(content: bytes) -> None:
    """UTF-8 unless a BOM or the XML declaration says otherwise; then expat checks it."""
    if content.startswith(_UTF16_BOMS):
        return
    declared = _ENCODING.match(content)
    if declared and declared.group(1).decode().lower().replace("_", "-") not in ("utf-8", "utf8"):
        return
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad(
            f"the file is not UTF-8 text (byte {error.start + 1}); save it as UTF-8"
        ) from error


def _local(tag: object) -> str:
    """An element's name without a namespace ("{ns}opml" -> "opml"), lower-case."""
    return str(tag).rsplit("}", 1)[-1].lower()


def _bad(reason: str) -> ValidationError:
    message = f"Not a usable OPML file: {reason}. Nothing was imported."
    return ValidationError(message, {"file": message})
