"""Normalise job titles and short labels (industries) into bags of tokens to compare.

A title is compared as a set of normalised tokens, so word order, case, punctuation,
plurals and the usual abbreviations do not matter: "VP Procurement", "Procurement V.P."
and "vice-presidents of procurement" are all `{"vp", "procurement"}`. Nothing beyond
that is guessed: "Head of IT" (`{"head", "it"}`) is not "IT Director"
(`{"director", "it"}`) unless a persona lists both.
"""

from __future__ import annotations

import functools
import re

# Words that carry no meaning in a title or an industry ("Head of IT", "Banking & Finance").
STOP_WORDS = frozenset({"of", "the", "and", "&"})
# One-word abbreviations and their full word (both sides are normalised to the right side).
ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "dir": "director",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "asst": "assistant",
    "assoc": "associate",
    "exec": "executive",
    "eng": "engineer",
    "engr": "engineer",
    "dept": "department",
    "ops": "operations",
    "intl": "international",
    "govt": "government",
    "admin": "administrator",
}
# Abbreviations that stand for several words; the right side is a sequence of tokens.
EXPANSIONS = {
    "svp": ("senior", "vp"),
    "evp": ("executive", "vp"),
    "avp": ("assistant", "vp"),
}
# Words never singularised (they end in "s" but are not plurals).
NOT_PLURAL = frozenset(
    {"sales", "operations", "analytics", "logistics", "business", "services", "news", "ops",
     "cms", "aws", "saas", "paas", "iaas", "hr", "is", "us", "its", "has", "was", "this"}
)  # fmt: skip
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015/,;:|()\[\]{}+]+")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")


def _singular(word: str) -> str:
    """Drop a plural ending the simple way; both sides of a comparison get the same rule."""
    if word in NOT_PLURAL or len(word) <= 2 or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


def _words(text: str) -> list[str]:
    lowered = text.casefold().replace("&", " & ").replace("\u2019", "'")
    # "V.P." -> "vp", "C.E.O." -> "ceo" before the dots are dropped.
    lowered = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), lowered)
    words = []
    for raw in _SEPARATORS.split(lowered):
        word = raw.strip(".'\"!?*#")
        if word.endswith("'s"):
            word = word[:-2]
        word = word.replace(".", "")
        if word:
            words.append(word)
    return words


def _chief_officers(words: list[str]) -> list[str]:
    """Fold "chief X officer" (and "chief X Y officer") into its acronym: "cto", "ciso"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] == "chief":
            for span in (2, 3):
                end = i + span
                if end < len(words) and words[end] == "officer":
                    middle = [w for w in words[i + 1 : end] if w not in STOP_WORDS]
                    if middle:
                        out.append("c" + "".join(w[0] for w in middle) + "o")
                        i = end + 1
                        break
            else:
                out.append(words[i])
                i += 1
            continue
        out.append(words[i])
        i += 1
    return out


@functools.lru_cache(maxsize=65536)
def title_tokens(text: str) -> frozenset[str]:
    """Return a job title (or any short label) as a set of normalised tokens.

    Case, punctuation, word order, plurals, "of/the/and/&", "vice president" -> "vp",
    "chief technology officer" -> "cto", Sr/Dir/Mgr and friends are all folded away.
    """
    words = _words(text)
    joined: list[str] = []
    i = 0
    while i < len(words):
        if words[i] == "vice" and i + 1 < len(words) and words[i + 1].startswith("president"):
            joined.append("vp")
            i += 2
            continue
        joined.append(words[i])
        i += 1
    tokens: list[str] = []
    for word in _chief_officers(joined):
        if word in STOP_WORDS or word == "and":
            continue
        if word in EXPANSIONS:
            tokens.extend(EXPANSIONS[word])
            continue
        word = _singular(ABBREVIATIONS.get(word, word))
        tokens.append(ABBREVIATIONS.get(word, word))
    return frozenset(tokens)


def label_tokens(text: str) -> frozenset[str]:
    """Return an industry or similar label as normalised tokens (same rules as titles)."""
    return title_tokens(text)


def covers(wanted: frozenset[str], given: frozenset[str]) -> bool:
    """Say whether a lead's `given` tokens hold every token of a persona's `wanted` entry.

    "Senior Procurement Manager, EMEA" covers "Procurement manager"; "Manager" alone does
    not cover "Procurement manager". An empty entry covers nothing.
    """
    return bool(wanted) and wanted <= given
