"""Compile a keyword into the surface forms it matches: inflect the keyword, not the text.

The old engine lemmatized every word of every text with a part-of-speech-blind lookup
table, so words the table did not know never matched (`rebranded` for `rebrand`) and
words it folded wrongly did (`marketing leader` for `market leader`, `cheaper` for
`cheap`). Here each keyword is inflected once, when its lexicon is compiled:

- the head is the last word; a one-word keyword is inflected as every part of speech the
  lemma tables give it (noun and verb for `premise`), a phrase's head as a noun;
- nouns get their plurals (possessives need no form: the text's `'s` is dropped before
  matching), verbs their -s, -ed, -ing and irregular forms, adjectives and adverbs
  nothing (`cheap` never matches `cheaper` unless a persona lists it in `forms`);
- a word the tables do not know is inflected by lemminflect's out-of-vocabulary rules
  (`rebrand` -> `rebrands`, `rebranded`, `rebranding`), as noun and verb when alone;
- inside a phrase, a word the tables know only as a verb is inflected too (`grow revenue`
  -> `grew revenue`); other words stay as written;
- an acronym (`RFP`) gets its `s` plural (`RFPs`).

The tables are lemminflect's (`infl_lu`, `lemma_lu`, shipped in the wheel); they are read
lazily and searched by bisection in their raw bytes, and a line is parsed only when a
keyword needs it.

A persona's `not:` may name a possessive (`market leader's`): the text's `'s` is dropped
before matching, so such an exclusion is checked on the source after the match instead
(`possessive_exclusions`, `matching.to_matches`).
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import itertools
import re
import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.errors import LexiconError
from nlp.extract import FORMAT_CHARS, match_key, strip_possessives

if TYPE_CHECKING:
    from nlp.lexicon import Keyword

# A word of a keyword: letters and digits, with inner apostrophes (`don't`).
_WORD = re.compile(r"[^\W_]+(?:['\u2019\u02bc][^\W_]+)*")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]*[A-Z0-9]")
_PLURAL_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]*[A-Z]s")
# Penn tags of lemminflect's overrides file, by the category they inflect.
_TAG_CATEGORY = {"NN": "noun", "VB": "verb", "JJ": "adj", "RB": "adv"}
_INFLECTED = ("noun", "verb")
_FORMAT_RUN = re.compile(f"[{FORMAT_CHARS}]+")
# A possessive ending: `'s`, or a lone apostrophe after an `s` (`leaders'`).
_POSSESSIVE_END = re.compile(r"(?:['\u2019\u02bc\uff07][sS]|(?<=[sS])['\u2019\u02bc\uff07])$")
# A term of ASCII letters, digits and spaces only: its key needs no normalising.
_PLAIN = re.compile(r"[A-Za-z0-9 ]*[A-Za-z0-9][A-Za-z0-9 ]*")
# A phrase has a word in it or the keyword would be refused; at most this many forms are
# combined per keyword, so a long list of verb-only words cannot explode.
MAX_FORMS = 64


class _Table:
    """One lemminflect CSV table, sorted by its first field: lines found by bisection.

    The bytes are searched as they are, without splitting them into lines: indexing
    120,000 lines cost `flask audit` a third of spaCy's own start-up; a lookup costs ~20
    steps. (UTF-8 sorts like the code points, so the file's order holds for bytes.)
    """

    def __init__(self, path: Path) -> None:
        data = gzip.decompress(path.read_bytes())
        self._data = data if data.endswith(b"\n") else data + b"\n"

    def get(self, word: str) -> list[str]:
        data, key = self._data, word.encode("utf-8")
        lo, hi = 0, len(data)  # line starts: every line before `lo` sorts before `key`
        while lo < hi:
            newline = data.rfind(b"\n", lo, (lo + hi) // 2)
            start = newline + 1 if newline >= 0 else lo
            if data[start : data.find(b",", start)] < key:
                lo = data.find(b"\n", start) + 1
            else:
                hi = start
        found = []
        while lo < len(data):
            end = data.find(b"\n", lo)
            line = data[lo:end]
            if line[: line.find(b",")] != key:
                break
            found.append(line.decode("utf-8"))
            lo = end + 1
        return found


class _Tables:
    """lemminflect's lookup tables, parsed a line at a time as keywords need them."""

    def __init__(self) -> None:
        spec = importlib.util.find_spec("lemminflect")
        if spec is None or not spec.submodule_search_locations:
            raise LexiconError("the lemminflect package is not installed")
        self._resources = resources = (
            Path(next(iter(spec.submodule_search_locations))) / "resources"
        )
        self.inflections = _Table(resources / "infl_lu.csv.gz")
        self._lemmas: _Table | None = None  # read only if a keyword has an inflected word
        self.overrides: dict[str, dict[str, set[str]]] = {}
        overrides = (resources / "infl_overrides.csv").read_text(encoding="utf-8")
        for line in overrides.splitlines():
            parts = line.strip().split(",")
            category = _TAG_CATEGORY.get(parts[1][:2]) if len(parts) == 3 else None
            if category:
                self.overrides.setdefault(parts[0], {}).setdefault(category, set()).add(parts[2])

    @functools.lru_cache(maxsize=65_536)  # noqa: B019 - one instance, kept for the process
    def categories(self, lemma: str) -> dict[str, set[str]]:
        """Return `{category: forms}` for a lemma the inflection table knows (else empty)."""
        found: dict[str, set[str]] = {}
        for line in self.inflections.get(lemma):
            parts = line.split(",")
            forms = found.setdefault(parts[1], {lemma})
            forms.update(f for part in parts[2:] for f in part.split("/") if f)
        for category, forms in self.overrides.get(lemma, {}).items():
            found.setdefault(category, {lemma}).update(forms)
        return found

    def lemmas_of(self, word: str) -> dict[str, set[str]]:
        """Return `{category: lemmas}` of an inflected form (`grew` -> verb `grow`)."""
        if self._lemmas is None:
            self._lemmas = _Table(self._resources / "lemma_lu.csv.gz")
        found: dict[str, set[str]] = {}
        for line in self._lemmas.get(word):
            _, category, lemmas = line.split(",", 2)
            found.setdefault(category, set()).update(lemma for lemma in lemmas.split("/") if lemma)
        return found


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables()


@functools.lru_cache(maxsize=4096)
def _oov(lemma: str, category: str) -> frozenset[str]:
    """Inflect a word no table knows by lemminflect's rules (imports spaCy: lemminflect does)."""
    from lemminflect import getAllInflectionsOOV

    upos = "NOUN" if category == "noun" else "VERB"
    forms = getAllInflectionsOOV(lemma, upos)
    return frozenset(f for spellings in forms.values() for f in spellings)


@functools.lru_cache(maxsize=65_536)
def word_forms(word: str, *, head: bool, alone: bool, nouns_only: bool = False) -> tuple[str, ...]:
    """Return the lowercase forms one word of a keyword matches, the word itself first.

    `head`: the phrase's last word; `alone`: the keyword is this one word; `nouns_only`:
    leave out verb forms (for showing possessives).
    """
    lower = word.lower()
    if _PLURAL_ACRONYM.fullmatch(word):
        return (lower, lower[:-1]) if head else (lower,)
    if _ACRONYM.fullmatch(word) and len(word) > 1:
        return (lower, lower + "s") if head else (lower,)
    if not word.isalpha():
        return (lower,)
    by_category = _lemmas(lower)
    known = set(by_category)
    if head and alone:
        wanted = known & set(_INFLECTED) if known else set(_INFLECTED)
    elif head:
        wanted = {"noun"} if not known or "noun" in known else known & {"verb"}
    else:
        wanted = {"verb"} if known == {"verb"} else set()
    if nouns_only:
        wanted &= {"noun"}
    forms = {lower}
    for category in wanted:
        for lemma in by_category.get(category, (lower,)):
            forms.update(_inflections(lemma, category))
    forms.discard(lower)
    return (lower, *sorted(forms))


@functools.lru_cache(maxsize=65_536)
def _lemmas(lower: str) -> dict[str, tuple[str, ...]]:
    """Return `{category: lemmas}` of a lowercase word.

    A word the inflection table has as a lemma is inflected as itself (`marketing` is a
    noun of its own, not only a form of `market`); any other word by its lemmas from the
    lemma table (`grew` -> verb `grow`, `processes` -> noun and verb `process`).
    """
    tables = _tables()
    own = tables.categories(lower)
    if own:
        return {category: (lower,) for category in own}
    return {c: tuple(sorted(lemmas)) for c, lemmas in tables.lemmas_of(lower).items()}


@functools.lru_cache(maxsize=65_536)
def _inflections(lemma: str, category: str) -> frozenset[str]:
    """Return a lemma's forms in one category: from the table, else by lemminflect's rules."""
    table = _tables().categories(lemma).get(category)
    return frozenset(table) if table else _oov(lemma, category)


def _singular(word: str) -> bool:
    """Say whether a noun form is singular (its possessive is `'s`, else `'`)."""
    if _PLURAL_ACRONYM.fullmatch(word):
        return False
    if _ACRONYM.fullmatch(word) or not word.isalpha():
        return True
    lower = word.lower()
    lemmas = _lemmas(lower).get("noun")
    return lemmas is None and not lower.endswith("s") or lemmas is not None and lower in lemmas


def _words(term: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(term))


def _variants(keyword: Keyword) -> list[str]:
    """Return the keyword's inflected phrases as written (possessive dropped), term first."""
    term = _plain_term(keyword.term)
    words = _words(term)
    if not words:
        return [term]
    alone = len(words) == 1
    choices = []
    for i, m in enumerate(words):
        forms = word_forms(m.group(), head=i == len(words) - 1, alone=alone)
        choices.append([m.group(), *[_caps_like(f, m.group()) for f in forms[1:]]])
    variants = []
    for combo in itertools.islice(itertools.product(*choices), MAX_FORMS):
        pieces, pos = [], 0
        for m, form in zip(words, combo, strict=True):
            pieces.append(term[pos : m.start()])
            pieces.append(form)
            pos = m.end()
        pieces.append(term[pos:])
        variants.append("".join(pieces))
    return variants


def _caps_like(form: str, word: str) -> str:
    if _PLURAL_ACRONYM.fullmatch(word):
        return word[:-1] if form == word[:-1].lower() else word
    if _ACRONYM.fullmatch(word) and len(word) > 1:
        return word + "s" if form == word.lower() + "s" else word
    if word.isupper() and len(word) > 1:
        return form.upper()
    if word[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def match_keys(keyword: Keyword) -> Collection[str]:
    """Return the normalised, lowercased phrases the keyword matches (see `match_key`).

    Most terms are plain words and spaces: their keys are built from each word's cached
    forms directly, which keeps compiling 50,000 keywords under a second.
    """
    term = keyword.term
    if not keyword.forms and not keyword.exclude and _PLAIN.fullmatch(term):
        words = term.split()
        if len(words) == 1:
            return _roles(words[0])[0]
        *others, head = words
        firsts = [_roles(w)[2] for w in others]
        heads = _roles(head)[1]
        if all(len(c) == 1 for c in firsts):
            prefix = " ".join(c[0] for c in firsts) + " "
            return [prefix + h for h in heads]
        combos = itertools.islice(itertools.product(*firsts, heads), MAX_FORMS)
        return {" ".join(c) for c in combos}
    keys = {match_key(v) for v in _variants(keyword)}
    keys.update(match_key(f) for f in keyword.forms)
    keys.difference_update(_exclusions(keyword)[0])
    keys.discard("")
    return keys


def possessive_exclusions(keyword: Keyword) -> frozenset[str]:
    """Return the keys whose possessive the keyword must not match (`not: [x's]`)."""
    return _exclusions(keyword)[1] if keyword.exclude else frozenset()


def _exclusions(keyword: Keyword) -> tuple[frozenset[str], frozenset[str]]:
    """Split `not:` into plain keys and keys excluded only as possessives."""
    plain, possessive = set(), set()
    for phrase in keyword.exclude:
        text = phrase.strip()
        end = _POSSESSIVE_END.search(text)
        if end is None:
            plain.add(match_key(text))
        else:
            possessive.add(match_key(text[: end.start()]))
    return frozenset(plain), frozenset(possessive)


_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}


def _roles(word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Return a word's forms alone, as a phrase's head and elsewhere in a phrase (cached)."""
    roles = _ROLES.get(word)
    if roles is None:
        if len(_ROLES) >= 65_536:
            _ROLES.clear()
        roles = _ROLES[word] = (
            word_forms(word, head=True, alone=True),
            word_forms(word, head=True, alone=False),
            word_forms(word, head=False, alone=False),
        )
    return roles


def surface_forms(keyword: Keyword) -> list[str]:
    """Return the forms a keyword matches as a reader would write them, the term first.

    Noun forms are shown with their possessive (`market leader's`, `market leaders'`),
    which the engine matches because it drops a text's possessive `'s` before matching.
    Differences of case, dash or apostrophe are not listed: they always match. Forms a
    persona excludes (`not:`) are left out, extra forms (`forms:`) added.
    """
    excluded, possessives = _exclusions(keyword)
    term = _plain_term(keyword.term)
    words = _words(term)
    head_nouns: set[str] = set()
    if words:
        alone = len(words) == 1
        head = words[-1].group()
        head_nouns = set(word_forms(head, head=True, alone=alone, nouns_only=True))
        if alone and not _is_noun(head):
            head_nouns = set()
    shown: list[str] = []
    seen: set[str] = set()

    def add(form: str) -> None:
        key = form.casefold()
        end = _POSSESSIVE_END.search(form)
        base = match_key(form if end is None else form[: end.start()])
        if key not in seen and base not in excluded and not (end and base in possessives):
            seen.add(key)
            shown.append(form)

    for variant in _variants(keyword):
        add(variant)
        last = _words(variant)
        if head_nouns and last and last[-1].group().lower() in head_nouns:
            add(variant + ("'s" if _singular(last[-1].group()) else "'"))
    for form in keyword.forms:
        add(form)
    return [shown[0], *sorted(shown[1:], key=str.casefold)] if shown else []


def _plain_term(term: str) -> str:
    """Return the term as a reader sees it: format characters dropped, NFKC, no `'s`."""
    folded = unicodedata.normalize("NFKC", _FORMAT_RUN.sub("", term))
    return strip_possessives(folded).strip()


def _is_noun(word: str) -> bool:
    if _ACRONYM.fullmatch(word) or _PLURAL_ACRONYM.fullmatch(word):
        return True
    if not word.isalpha():
        return False
    tables = _tables()
    lower = word.lower()
    known = set(tables.categories(lower)) | set(tables.lemmas_of(lower))
    return not known or "noun" in known
