"""Build the benchmark's corpus and lexicons deterministically (fixed seed, no files).

The drafts read like marketing prose: sentences from templates over a vocabulary of
business English with real inflections (plurals, past tenses, -ing forms), dressed in
Markdown the way editors write it (headings, lists, emphasis, links, code, URLs).

`realistic_corpus` adds what a template vocabulary of ~500 words lacks: a long tail. Most
sentences gain a clause of words drawn by a Zipf law (rank r with weight r^-0.8) from the
~90,000 English word forms in lemminflect's tables, so the corpus holds tens of thousands
of word types, as real drafts do, and no cache stays unrealistically hot.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import random
import string
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


NOUNS = _words(
    """account agency analyst answer app approach audience audit automation backlog
benchmark blog brand browser budget bug buyer calendar campaign channel checklist client
cloud code community company competitor compliance contract conversion cost customer
dashboard data deadline demo deployment design developer discount draft editor email
engineer enterprise event experience feature feed feedback firm forecast founder funnel
goal growth guide habit headline hosting idea industry insight install integration
invoice issue launch lead license listing manager market meeting message metric
migration milestone model newsletter niche office offer onboarding opportunity owner
page partner pipeline plan platform podcast policy portfolio post premise price pricing
process procurement product profile project proposal prospect quarter question quote
reader release report request research retention revenue review risk roadmap sale
schedule security segment seller server service signal site slot software solution
source sprint stack startup story strategy subscriber subscription supplier support
survey system team template tender test ticket timeline tool traffic trial update
upgrade user value vendor video visitor webinar website week workflow workshop writer"""
)

IRREGULAR_PLURALS = {"analysis": "analyses", "company": "companies", "agency": "agencies"}

VERBS = _words(
    """accept add adopt analyse ask automate book build buy cancel change check choose
close collect compare connect convert create cut deliver deploy design discover download
drive earn edit enable explore extend fix follow gain grow handle help host improve
install integrate invite join keep launch lead learn manage measure migrate miss move
need offer open order own pay plan post prepare price publish reach read reduce release
renew replace report request review run save scale schedule sell send serve share
ship sign solve spend start support switch test track train trust try update upgrade
use win write"""
)

IRREGULAR_PAST = {
    "build": "built",
    "buy": "bought",
    "choose": "chose",
    "cut": "cut",
    "drive": "drove",
    "grow": "grew",
    "keep": "kept",
    "lead": "led",
    "pay": "paid",
    "read": "read",
    "run": "ran",
    "sell": "sold",
    "send": "sent",
    "spend": "spent",
    "win": "won",
    "write": "wrote",
}

ADJECTIVES = _words(
    """agile annual automated average better big bold busy careful cheap clear
cloud-based complex costly critical custom daily direct early easy efficient
enterprise-grade fast flexible free friendly global great hands-on high-touch honest
hosted huge key large lean local long low-cost manual modern monthly new niche
off-the-shelf on-premise open open-source personal practical premium private public
quick rapid real reliable remote robust safe scalable secure self-hosted short simple
slow small smart solid special stable steady strong successful tailored tight tiny
top transparent typical unique urgent useful valuable visual weekly whole"""
)

ADVERBS = _words(
    """quickly slowly carefully often rarely always never usually clearly simply
easily finally directly really mostly quietly openly"""
)

NAMES = _words(
    """Alice Bob Carmen Dmitri Elena Farid Grace Hiroshi Ines Jonas Kemi Luca Maya
Noor Oscar Priya Quentin Rosa Sven Tara"""
)

ACRONYMS = ["RFP", "SLA", "SSO", "API", "CRM", "SaaS", "ROI", "KPI", "SEO", "B2B"]

PREPOSITIONS = ["for", "with", "in", "on", "from", "about", "across", "without", "after"]


def plural(noun: str) -> str:
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def past(verb: str) -> str:
    if verb in IRREGULAR_PAST:
        return IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def third(verb: str) -> str:
    return plural(verb)


def gerund(verb: str) -> str:
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


class Prose:
    """Sentences and Markdown drafts from a seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def _np(self) -> str:
        r = self.rng
        noun = r.choice(NOUNS)
        form = plural(noun) if r.random() < 0.4 else noun
        if r.random() < 0.5:
            form = f"{r.choice(ADJECTIVES)} {form}"
        if r.random() < 0.15:
            form = f"{r.choice(NOUNS)} {form}"
        det = r.choice(["the", "our", "your", "a", "their", "this"]) if form == noun else "the"
        return f"{det} {form}" if r.random() < 0.8 else form

    def sentence(self) -> str:
        r = self.rng
        verb = r.choice(VERBS)
        templates = [
            lambda: f"{self._np()} {r.choice([past(verb), third(verb)])} {self._np()}",
            lambda: f"{r.choice(NAMES)} said that {self._np()} {third(verb)} {r.choice(ADVERBS)}",
            lambda: (
                f"we {r.choice([verb, past(verb)])} {self._np()} {r.choice(PREPOSITIONS)} "
                f"{self._np()}"
            ),
            lambda: f"{gerund(verb)} {self._np()} is {r.choice(ADJECTIVES)} for {self._np()}",
            lambda: (
                f"when {self._np()} {past(verb)}, {self._np()} {third(r.choice(VERBS))} "
                f"{self._np()} {r.choice(PREPOSITIONS)} {self._np()}"
            ),
            lambda: (
                f"ask for an {r.choice(ACRONYMS)} before {self._np()} "
                f"{r.choice(['is', 'was'])} {r.choice(ADJECTIVES)}"
            ),
        ]
        text = r.choice(templates)()
        return text[0].upper() + text[1:] + r.choice([".", ".", ".", "!", "?"])

    def paragraph(self, sentences: int) -> str:
        r = self.rng
        out = []
        for _ in range(sentences):
            s = self.sentence()
            roll = r.random()
            if roll < 0.10:
                words = s.split()
                i = r.randrange(len(words))
                mark = r.choice(["**{}**", "_{}_", "<em>{}</em>"])
                words[i] = mark.format(words[i])
                s = " ".join(words)
            elif roll < 0.14:
                s += f" See [the {r.choice(NOUNS)} guide](https://example.com/{r.choice(NOUNS)})."
            elif roll < 0.16:
                s += f" Run `{r.choice(VERBS)} --{r.choice(NOUNS)}` first."
            elif roll < 0.17:
                s += f" More at https://www.example.org/{r.choice(NOUNS)}-{r.choice(NOUNS)}."
            elif roll < 0.18:
                s += f" Ask our R&amp;D {r.choice(['team', 'lead'])} \u2014 they know."
            out.append(s)
        text = " ".join(out)
        if r.random() < 0.5:  # hard-wrapped, as many editors write Markdown
            text = _wrap(text, 80)
        return text

    def markdown(self, words: int) -> str:
        """Return a Markdown draft of about `words` words."""
        r = self.rng
        parts = [f"# {self.sentence().rstrip('.!?')}"]
        count = 0
        while count < words:
            roll = r.random()
            if roll < 0.12:
                block = f"## {self._np().capitalize()}"
            elif roll < 0.22:
                block = "\n".join(f"- {self.sentence()}" for _ in range(r.randint(2, 5)))
            elif roll < 0.25:
                block = f"```\n{r.choice(VERBS)} {r.choice(NOUNS)} --fast\n```"
            else:
                block = self.paragraph(r.randint(2, 6))
            parts.append(block)
            count += len(block.split())
        return "\n\n".join(parts) + "\n"

    def invented_words(self, n: int) -> str:
        """Return `n` made-up words (feed spam, identifiers): new to any vocabulary."""
        r = self.rng
        letters = string.ascii_lowercase
        return " ".join(
            "".join(r.choice(letters) for _ in range(r.randint(6, 12))) for _ in range(n)
        )


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def corpus(seed: int, documents: int) -> list[str]:
    """Return `documents` Markdown drafts of 500 to 3,000 words."""
    prose = Prose(seed)
    return [prose.markdown(prose.rng.randint(500, 3000)) for _ in range(documents)]


SIGNAL_WORDS = _words(
    """procurement tender enterprise discount compliance license vendor on-premise
self-hosted off-the-shelf low-cost enterprise-grade migration contract invoice supplier
quote security server startup founder freelancer webinar newsletter podcast"""
)


def persona_terms(seed: int, personas: int, per_persona: int) -> list[list[str]]:
    """Return keyword terms per persona: a few telling words, mostly phrases.

    Like real lexicons, most keywords are two-word phrases that show up now and then;
    a handful of single words (and acronyms) show up often.
    """
    rng = random.Random(seed)
    pool = phrase_pool(seed)
    singles = SIGNAL_WORDS + ACRONYMS
    out = []
    for p in range(personas):
        few = rng.sample(singles, 6)
        phrases = pool[p * per_persona : (p + 1) * per_persona][: per_persona - len(few)]
        out.append(few + phrases)
    return out


def phrase_pool(seed: int) -> list[str]:
    """Return every two-word phrase the templates can produce (adjective/noun + noun)."""
    rng = random.Random(seed)
    pool = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS]
    pool += [f"{m} {n}" for m in NOUNS for n in NOUNS if m != n]
    pool += [f"{v} {n}" for v in VERBS for n in NOUNS]
    rng.shuffle(pool)
    return pool


def many_terms(seed: int, count: int) -> list[str]:
    """Return `count` distinct keyword terms (a very large lexicon)."""
    return phrase_pool(seed + 1)[:count]


def english_vocabulary(seed: int) -> list[str]:
    """Return lemminflect's lowercase English word forms in a seeded "frequency" order."""
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("lemminflect is not installed (requirements.txt)")
    resources = Path(next(iter(spec.submodule_search_locations))) / "resources"
    words: set[str] = set()
    for name in ("infl_lu.csv.gz", "lemma_lu.csv.gz"):
        for line in gzip.decompress((resources / name).read_bytes()).decode().splitlines():
            for field in (line.split(",")[0], *line.split(",")[2:]):
                words.update(w for w in field.split("/") if w.isalpha() and w.islower())
    ordered = sorted(words)
    random.Random(seed).shuffle(ordered)
    return ordered


# Word frequencies in English fall off roughly as 1/rank; a slightly flatter curve gives
# a 350,000-word corpus the ~30,000+ word types of a million words of real prose.
ZIPF_EXPONENT = 0.8


class RealisticProse(Prose):
    """`Prose` whose sentences also carry long-tail words (Zipf over real English forms)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.vocabulary = english_vocabulary(seed)
        weights = (r**-ZIPF_EXPONENT for r in range(1, len(self.vocabulary) + 1))
        self.cumulative = list(itertools.accumulate(weights))

    def sentence(self) -> str:
        text = super().sentence()
        r = self.rng
        if r.random() < 0.8:
            tail = r.choices(self.vocabulary, cum_weights=self.cumulative, k=r.randint(4, 10))
            text = (
                f"{text[:-1]}, {r.choice(['with', 'as', 'like', 'and'])} {' '.join(tail)}{text[-1]}"
            )
        return text


def realistic_corpus(seed: int, documents: int) -> list[str]:
    """Return `documents` Markdown drafts of 500 to 3,000 words with a long-tail vocabulary."""
    prose = RealisticProse(seed)
    return [prose.markdown(prose.rng.randint(500, 3000)) for _ in range(documents)]


def word_types(texts: list[str]) -> int:
    """Count distinct lowercase alphabetic words (a rough vocabulary size)."""
    return len({w for t in texts for w in t.lower().split() if w.isalpha()})
