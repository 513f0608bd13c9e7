"""Mask Markdown (CommonMark plus GFM tables) down to the text a reader sees.

This is a reader, not a renderer: it only has to decide, for each source character,
whether a reader sees it and where blocks begin and end. Blocks are read line by line
(code blocks, headings, lists, quotes, tables, link definitions, front matter); then
inline passes hide code spans, raw HTML, link targets, bare URLs and emphasis markers.
Link text stays visible; emphasis markers vanish so `request for **proposal**` matches.
An image's alt text is visible as a block of its own in the `alt` field; the title,
description and tags of the front matter in theirs (`front_matter`).
"""

from __future__ import annotations

import bisect
import re

from nlp.front_matter import mask_front_matter
from nlp.html_mask import mask_html
from nlp.masking import Mask, mask_urls

_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"[ \t]{0,3}(`+|~+)[ \t]*$")
_HTML_BLOCK = re.compile(r"[ \t]{0,3}<(script|style|pre|textarea|!--)", re.IGNORECASE)
_HTML_BLOCK_END = {"script": "</script", "style": "</style", "pre": "</pre", "!--": "-->"}
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_HR = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_QUOTE = re.compile(r"(?: {0,3}>[ \t]?)+")
_LIST = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)")
_LINK_DEF = re.compile(
    r" {0,3}\[[^\]\n]+\]:[ \t]*\S+(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$"
)
_TABLE_DELIM = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")

_TICKS = re.compile(r"``*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\r?\n|\x01")
# Patterns below start with a literal or a character class, so the regex engine skips
# ordinary prose in C.
_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]\n]|\n(?![ \t]*\r?\n)|\[[^\[\]\n]*\])*)\]"
    r"(?:\(\s*(?:<[^<>\n]*>|(?:[^\s()\x01]|\([^\s()\x01]*\))*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
    r"|\[[^\[\]\n]*\])"
)
_EMPHASIS = re.compile(r"[*_~\\][*_~]*")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\n")


def mask_markdown_document(text: str) -> Mask:
    """Return the mask of a Markdown document: blocks first, then inline passes."""
    mask = Mask(text)
    _mask_blocks(mask)
    _mask_code_spans(mask)
    mask_html(mask)
    _mask_links(mask)
    mask_urls(mask)
    _mask_emphasis(mask)
    return mask


def _lines(text: str) -> list[tuple[int, int, int]]:
    """Split into `(start, end of content without \\r\\n, end with newline)` triples."""
    lines = []
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        nxt = n if nl < 0 else nl + 1
        end = n if nl < 0 else nl
        if end > pos and text[end - 1] == "\r":
            end -= 1
        lines.append((pos, end, nxt))
        pos = nxt
    return lines


def _mask_blocks(mask: Mask) -> None:
    """Hide block syntax and code blocks, and put barriers between blocks."""
    src = mask.text
    lines = _lines(src)
    fm_end = mask_front_matter(mask)
    fence: tuple[str, int] | None = None
    html_end: str | None = None
    para = in_list = in_quote = table = False
    prev_blank = True
    for i, (ls, le, ln) in enumerate(lines):
        if ls < fm_end:
            continue
        if fence is not None:
            m = _FENCE_CLOSE.match(src, ls, le)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1]:
                fence = None
            else:
                mask.count_hidden(ls, le)
            mask.barrier(ls, ln)
            continue
        if html_end is not None:
            if html_end in src[ls:le].lower():
                html_end = None
            continue
        bs = ls
        q = _QUOTE.match(src, ls, le)
        if q and q.end() > ls:
            # A quote continuing the previous line joins it; a new quote starts a block.
            (mask.space if in_quote else mask.barrier)(ls, q.end())
            in_quote, bs = True, q.end()
        else:
            in_quote = False
        body = src[bs:le]
        stripped = body.lstrip(" \t")
        if not stripped:
            para = table = False
            prev_blank = True
            continue
        ws = len(body) - len(stripped)
        indent = len(body[:ws].expandtabs(4))
        first = stripped[0]
        if first.isalpha() and indent < 4 and not table and "|" not in body:
            # Fast path: the usual paragraph line.
            if prev_blank and indent == 0:
                in_list = False
            para, prev_blank = True, False
            continue
        was_blank, prev_blank = prev_blank, False
        if indent >= 4 and not para and not in_list:
            mask.count_hidden(bs, le)
            mask.barrier(bs, ln)
            continue
        m = _FENCE.match(body)
        if m and (indent < 4 or in_list) and not (m.group(1)[0] == "`" and "`" in body[m.end() :]):
            fence = (m.group(1)[0], len(m.group(1)))
            mask.barrier(bs, ln)
            para = False
            continue
        m = _HTML_BLOCK.match(body)
        if m:
            end_marker = _HTML_BLOCK_END.get(m.group(1).lower(), "</textarea")
            if end_marker not in body[m.end() :].lower():
                html_end = end_marker
            para = False
            continue
        if para and _SETEXT.match(body):
            mask.barrier(bs, ln)
            para = False
            continue
        if _HR.match(body):
            mask.barrier(bs, ln)
            para = in_list = False
            continue
        m = _ATX.match(body)
        if m:
            mask.barrier(bs, bs + m.end())
            close = _ATX_CLOSE.search(body)
            if close and close.start() >= m.end():
                mask.delete(bs + close.start(), le)
            mask.barrier(le, ln)
            para = False
            continue
        if "|" in body:
            if table and _TABLE_DELIM.match(body):
                mask.barrier(bs, ln)
                continue
            next_line = lines[i + 1] if i + 1 < len(lines) else None
            if table or (next_line and _TABLE_DELIM.match(src, next_line[0], next_line[1])):
                table = True
                for j, ch in enumerate(body):
                    if ch == "|":
                        mask.barrier(bs + j, bs + j + 1)
                mask.barrier(le, ln)
                continue
        table = False
        if not para and _LINK_DEF.match(body):
            mask.barrier(bs, ln)
            continue
        m = _LIST.match(body)
        if m and (m.end() < len(body) or not para):
            mask.barrier(bs, bs + m.end())
            in_list = para = True
            continue
        if was_blank and indent == 0:
            in_list = False
        para = True
    mask.commit()


def _mask_code_spans(mask: Mask) -> None:
    """Hide inline code (`` `x` ``): a backtick run closes at the next run of equal length."""
    text = mask.text
    runs = [m.span() for m in _TICKS.finditer(text)]
    if not runs:
        return
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        if start and text[start - 1] == "\\":
            index += 1
            continue
        same = by_length[end - start]
        k = bisect.bisect_right(same, index)
        if k == len(same):
            index += 1
            continue
        close = same[k]
        close_start, close_end = runs[close]
        if _PARAGRAPH_BREAK.search(text, end, close_start):
            index += 1
            continue
        mask.count_hidden(end, close_start)
        mask.barrier(start, close_end)
        index = close + 1
    mask.commit()


def _mask_emphasis(mask: Mask) -> None:
    """Delete emphasis markers and escaping backslashes; keep intraword `_` (snake_case)."""
    text = mask.text
    for m in _EMPHASIS.finditer(text):
        start, end = m.span()
        run = m.group()
        if run[0] == "\\":
            if end < len(text) and text[end] in _ESCAPABLE and end == start + 1:
                mask.delete(start, end)
            continue
        if run == "~" or (
            run[0] == "_"
            and "*" not in run
            and start
            and text[start - 1].isalnum()
            and end < len(text)
            and text[end].isalnum()
        ):
            continue
        mask.delete(start, end)
    mask.commit()


def _mask_links(mask: Mask) -> None:
    """Keep link text, hide link targets; an image's alt text is a block in field `alt`."""
    text = mask.text
    if "[" not in text:
        return
    _mask_links_in(mask, text, 0, len(text))
    mask.commit()


def _mask_links_in(mask: Mask, text: str, start: int, end: int) -> None:
    for m in _LINK.finditer(text, start, end):
        link_start, link_end = m.span()
        text_start, text_end = m.span("text")
        if link_start and text[link_start - 1] == "!":
            mask.barrier(link_start - 1, text_start)
            mask.barrier(text_end, link_end)
            mask.field(text_start, text_end, "alt")
            continue
        mask.delete(link_start, text_start)
        mask.delete(text_end, link_end)
        if "![" in text[text_start:text_end]:
            _mask_links_in(mask, text, text_start, text_end)  # a linked image
