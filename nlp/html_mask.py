"""Mask HTML (also the raw HTML inside Markdown) down to the text a reader sees.

Tags, attributes and comments are never matched. Inline tags (`<em>`, `<a>`, `<span>`)
vanish, so `request for <em>proposal</em>` and `en<b>terprise</b>` read as they render;
block tags become barriers so words from two paragraphs never form a phrase. Code-like
elements (`<pre>`, `<code>`, `<kbd>`, `<samp>`, `<textarea>`) are hidden but their words
counted; `<script>`, `<style>`, `<head>` and friends are hidden and not counted.
Entities are decoded in place for matching while offsets still point at the source.
"""

from __future__ import annotations

import html
import re

from nlp.masking import Mask, mask_urls

# Attributes by HTML's grammar, with possessive quantifiers: a `<` that starts no tag
# fails at once instead of scanning to the end of the text (no quadratic blow-up on
# `<a <a <a ...`).
_ATTRS = r"""(?:\s+[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+)*+\s*+/?"""

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
    r"|&(?P<entity>\#[0-9]{1,7};|\#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")

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
            if name in BLOCK_TAGS:
                mask.barrier(start, end)
            elif name in SPACE_TAGS:
                mask.space(start, end)
            else:
                mask.delete(start, end)
        elif m.group("entity") is not None:
            entity = m.group()
            decoded = html.unescape(entity)
            if decoded != entity and len(decoded) < len(entity):
                mask.replace(start, end, decoded)
        elif m.group("code") is not None:
            mask.barrier(start, end)
            mask.count_hidden(0, 0, html.unescape(_TAG.sub(" ", m.group("inner"))))
        elif m.group("autolink") is not None:
            mask.barrier(start, end)
            mask.hidden_words += 1
        elif m.group("comment") is not None:
            # A comment renders as nothing, so `en<!-- x -->terprise` is one word.
            mask.delete(start, end)
        else:  # raw (script, style, ...) and declarations
            mask.barrier(start, end)
    mask.commit()


def mask_html_document(text: str) -> Mask:
    """Return the mask of an HTML document: markup first, then bare URLs in its text."""
    mask = Mask(text)
    mask_html(mask)
    mask_urls(mask)
    return mask
