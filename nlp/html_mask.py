"""Mask HTML (also the raw HTML inside Markdown) down to the text a reader sees.

Tags, attributes and comments are never matched. Inline tags (`<em>`, `<a>`, `<span>`)
vanish, so `request for <em>proposal</em>` and `en<b>terprise</b>` read as they render;
block tags become barriers so words from two paragraphs never form a phrase. Code-like
elements (`<pre>`, `<code>`, `<kbd>`, `<samp>`, `<textarea>`) are hidden but their words
counted; `<script>`, `<style>`, `<head>` and friends are hidden and not counted.
Entities are decoded in place for matching while offsets still point at the source.

What a reader or a search engine sees outside the body is read too, each value a block
of its own in its field: `<title>` (`title`), the `content` of the description,
keywords, `og:` and `twitter:` meta tags (`description`, `tags`, `title`) and an
image's `alt` text (`alt`). Every other attribute and the rest of `<head>` stay hidden.
"""

from __future__ import annotations

import html
import re

from nlp.masking import Mask, mask_urls

# Attributes by HTML's grammar, with possessive quantifiers: a `<` that starts no tag
# fails at once instead of scanning to the end of the text (no quadratic blow-up on
# `<a <a <a ...`).
_ATTRS = r"""(?:\s+[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+)*+\s*+/?"""

# What follows the `&` of a character reference.
_ENTITY_NAME = r"\#[0-9]{1,7};|\#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};"

# Every branch starts with a literal `<` or `&`, so the regex engine skips plain prose
# in C instead of trying each branch at every character.
_HTML = re.compile(
    r"<(?:"
    # Markdown autolinks (`<https://...>`); harmless in HTML, where they are not tags.
    r"(?P<autolink>(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x02]*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>)"
    r"|(?P<comment>!--.*?(?:-->|\Z))"
    rf"|(?P<raw>(?P<rawname>script|style|template|title|head|svg|math)\b{_ATTRS}>"
    r".*?(?:</(?P=rawname)\s*>|\Z))"
    rf"|(?P<code>(?P<codename>pre|code|kbd|samp|textarea)\b{_ATTRS}>"
    r"(?P<inner>.*?)(?:</(?P=codename)\s*>|\Z))"
    r"|(?P<decl>!\[CDATA\[.*?(?:\]\]>|\Z)|![A-Za-z][^>]*>|\?.*?(?:>|\Z))"
    rf"|(?P<tag>/?(?P<name>[A-Za-z][A-Za-z0-9-]*+){_ATTRS}>)"
    r")"
    rf"|&(?P<entity>{_ENTITY_NAME})",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_ENTITY = re.compile(rf"&(?:{_ENTITY_NAME})")
# Inside `<head>`: what to show (title, meta) and what to skip whole (scripts, comments).
_HEAD_PART = re.compile(
    r"<(?:"
    r"(?P<comment>!--.*?(?:-->|\Z))"
    rf"|(?P<raw>(?P<rawname>script|style|template|noscript)\b{_ATTRS}>"
    r".*?(?:</(?P=rawname)\s*>|\Z))"
    rf"|(?P<title>title\b{_ATTRS}>)(?P<inner>.*?)(?:</title\s*>|\Z)"
    rf"|(?P<meta>meta\b{_ATTRS}>)"
    r")",
    re.DOTALL | re.IGNORECASE,
)
# The meta tags whose `content` a reader or a search engine shows, by name or property.
META_FIELDS = {
    "description": "description",
    "keywords": "tags",
    "og:title": "title",
    "og:description": "description",
    "twitter:title": "title",
    "twitter:description": "description",
}

# Elements that start a new block when rendered: a phrase never runs across them.
BLOCK_TAGS = frozenset(
    str.split(
        """address article aside blockquote body caption center col colgroup dd details dialog
    dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6
    header hgroup hr html iframe legend li link main menu meta nav ol optgroup option p
    param section source summary table tbody td tfoot th thead tr track ul
    img picture video audio canvas embed object input select button label noscript"""
    )
)
# Elements that render as a space or line break between the words around them.
SPACE_TAGS = frozenset({"br"})


def mask_html(mask: Mask) -> None:
    """Mask tags, comments, hidden elements and entities in `mask.text`, then commit."""
    text = mask.text
    if "<" not in text and "&" not in text:
        return
    for m in _HTML.finditer(text):
        start, end = m.span()
        if m.group("tag") is not None:
            name = m.group("name").lower()
            if name == "img" or name == "meta":
                _mask_tag_with_field(mask, text, start, end, name)
            elif name in BLOCK_TAGS:
                mask.barrier(start, end)
            elif name in SPACE_TAGS:
                mask.space(start, end)
            else:
                mask.delete(start, end)
        elif m.group("entity") is not None:
            _decode_entity(mask, start, end, m.group())
        elif m.group("code") is not None:
            mask.barrier(start, end)
            mask.count_hidden(0, 0, html.unescape(_TAG.sub(" ", m.group("inner"))))
        elif m.group("autolink") is not None:
            mask.barrier(start, end)
            mask.hidden_words += 1
        elif m.group("comment") is not None:
            # A comment renders as nothing, so `en<!-- x -->terprise` is one word.
            mask.delete(start, end)
        elif m.group("raw") is not None and m.group("rawname").lower() in ("head", "title"):
            _mask_head(mask, text, start, end)
        else:  # raw (script, style, ...) and declarations
            mask.barrier(start, end)
    mask.commit()


def _mask_head(mask: Mask, text: str, start: int, end: int) -> None:
    """Hide `<head>` (or a lone `<title>`) but its title and the meta contents readers see."""
    pos = start
    for m in _HEAD_PART.finditer(text, start, end):
        if m.group("title") is not None:
            mask.barrier(pos, m.start("inner"))
            _visible_value(mask, text, m.start("inner"), m.end("inner"), "title")
            pos = m.end("inner")
        elif m.group("meta") is not None:
            mask.barrier(pos, m.start())
            _mask_tag_with_field(mask, text, m.start(), m.end(), "meta")
            pos = m.end()
    mask.barrier(pos, end)


def _mask_tag_with_field(mask: Mask, text: str, start: int, end: int, name: str) -> None:
    """Hide a tag (a barrier) but the one attribute value a reader sees, if it has one.

    `<img alt>` is alt text; `<meta content>` is shown when its `name` or `property` is
    one of `META_FIELDS`. Attribute names and meta names are case-insensitive; values may
    be quoted either way or not at all.
    """
    attrs: dict[str, tuple[int, int]] = {}
    for m in _ATTR.finditer(text, start + 1 + len(name), end - 1):
        key = m.group(1).lower()
        if key in attrs:
            continue  # HTML keeps the first of two equal attributes
        value = m.group(2)
        if value is None:
            attrs[key] = (m.end(), m.end())
        elif value[0] in "\"'":
            attrs[key] = (m.start(2) + 1, m.end(2) - 1)
        else:
            attrs[key] = m.span(2)
    field, span = None, None
    if name == "img":
        field, span = "alt", attrs.get("alt")
    else:
        for key in ("name", "property"):
            if key in attrs:
                meta_name = text[attrs[key][0] : attrs[key][1]].strip().lower()
                field = META_FIELDS.get(meta_name)
                if field is not None:
                    span = attrs.get("content")
                    break
    if field is None or span is None or span[0] == span[1]:
        mask.barrier(start, end)
        return
    mask.barrier(start, span[0])
    _visible_value(mask, text, span[0], span[1], field)
    mask.barrier(span[1], end)


def _visible_value(mask: Mask, text: str, start: int, end: int, field: str) -> None:
    """Show `[start, end)` in `field`, with entities decoded in place."""
    if "&" in text[start:end]:
        for m in _ENTITY.finditer(text, start, end):
            _decode_entity(mask, m.start(), m.end(), m.group())
    mask.field(start, end, field)


def _decode_entity(mask: Mask, start: int, end: int, entity: str) -> None:
    """Put an entity's decoded character on its first position, for matching."""
    decoded = html.unescape(entity)
    if decoded != entity and len(decoded) < len(entity):
        mask.replace(start, end, decoded)


def mask_html_document(text: str) -> Mask:
    """Return the mask of an HTML document: markup first, then bare URLs in its text."""
    mask = Mask(text)
    mask_html(mask)
    mask_urls(mask)
    return mask
