"""Benchmark the audit engine against its floor and the regex a user would write.

Run from the repository root:  .venv/bin/python bench/audit_bench.py [--quick]

Prints, in one run, on a deterministic Markdown corpus: words/s of the engine, of the bare
spaCy tokenizer + lookup lemmatizer (`nlp.pipe`, the floor) and of a compiled
`\\b(?:k1|k2|...)\\b` IGNORECASE regex, with 20 personas x 100 keywords and with 10,000
keywords; the p50/p95 latency of one 2,000-word Markdown audit; and resident memory while
auditing many short texts full of invented words. Exits 1 if a target fails:

- engine throughput >= 60% of the floor's (20 x 100 keywords);
- a 2,000-word Markdown audit has p50 < 15 ms (20 x 100 keywords);
- the engine is faster than the regex at 10,000 keywords;
- resident memory levels off (no later checkpoint is 10% above the second one).

Figures are medians of a few repeats: these machines are noisy, read them as ratios.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import corpus

SEED = 20240601


def rss_mb() -> float:
    """Return this process's resident memory in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def words_of(texts: Iterable[str]) -> int:
    """Count words the same way for every contender: whitespace-separated chunks."""
    return sum(len(t.split()) for t in texts)


def rate(run: Callable[[], Any], words: int, repeats: int) -> float:
    """Return the median words/s of `repeats` timed runs of `run`."""
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        rates.append(words / (time.perf_counter() - start))
    return statistics.median(rates)


def regex_rate(terms: Sequence[str], texts: Sequence[str], budget_s: float) -> tuple[float, int]:
    """Return words/s of the naive alternation regex over as many texts as fit the budget."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)
    pattern.findall(texts[0][:2000])  # compile caches, first-touch costs
    words = found = 0
    start = time.perf_counter()
    for text in texts:
        found += len(pattern.findall(text))
        words += len(text.split())
        if time.perf_counter() - start > budget_s:
            break
    return words / (time.perf_counter() - start), found


def personas_from(nlp_mod: Any, term_lists: Sequence[Sequence[str]]) -> list[Any]:
    """Build persona lexicons: alternate negative and buyer, acronyms case-sensitive."""
    personas = []
    for i, terms in enumerate(term_lists):
        keywords = tuple(
            nlp_mod.Keyword(
                t,
                weight=1 + (j % 3),
                suggest="hosted for you" if j % 7 == 0 else None,
                case_sensitive=t.isupper(),
            )
            for j, t in enumerate(terms)
        )
        kind = "negative" if i % 2 == 0 else "buyer"
        personas.append(nlp_mod.PersonaLexicon(i + 1, f"Persona {i + 1}", kind, 1, keywords))
    return personas


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller corpus, fewer repeats")
    args = parser.parse_args(argv)
    quick = args.quick
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import spacy

    import nlp
    from nlp.extract import extract

    documents = 40 if quick else 190
    repeats = 1 if quick else 3
    regex_budget = 1.0 if quick else 6.0
    latency_runs = 60 if quick else 300
    memory_docs, checkpoint = (15_000, 3_000) if quick else (50_000, 10_000)
    memory_words = 25
    # Quick mode lowers the recycling limit so its shorter run still spans many recycles.
    memory_limit = 25_000 if quick else None

    texts = corpus.corpus(SEED, documents)
    total_words = words_of(texts)
    size_mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"corpus   {documents} Markdown drafts, {total_words:,} words, {size_mb:.2f} MB")

    small = personas_from(nlp, corpus.persona_terms(SEED, 20, 100))
    big_terms = corpus.many_terms(SEED, 10_000)
    big = personas_from(nlp, [big_terms[i : i + 1000] for i in range(0, 10_000, 1000)])
    small_terms = [k.term for p in small for k in p.keywords]

    # The floor: blank English + lookup lemmatizer through nlp.pipe, warm vocabulary.
    floor_nlp = spacy.blank("en")
    floor_nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    floor_nlp.initialize()
    for _ in floor_nlp.pipe(texts[:5]):
        pass
    floor = rate(lambda: [None for _ in floor_nlp.pipe(texts)], total_words, repeats)
    print(f"floor    nlp.pipe(blank en + lookup lemmatizer)        {floor:>10,.0f} w/s")
    # For reference: the tokenizer as the engine sets it up (no special cases, see
    # nlp.pipeline.prepare_tokenizer), on the text the engine feeds it.
    engine_nlp = nlp.build_pipeline()
    token_texts = [extract(t, "markdown").token_text() for t in texts]
    for text in token_texts[:5]:
        engine_nlp.tokenizer(text)
    bare = rate(lambda: [engine_nlp.tokenizer(t) for t in token_texts], total_words, repeats)
    print(
        f"         (tokenizer alone as the engine configures it    {bare:>10,.0f} w/s;"
        " spaCy's special cases stop its cache)"
    )

    engine = nlp.AuditEngine()
    engine.audit(texts[0], "markdown", small)  # load, compile, warm
    build_start = time.perf_counter()
    engine.audit(texts[0], "markdown", big)
    build_s = time.perf_counter() - build_start
    for text in texts[:5]:
        engine.audit(text, "markdown", small)
        engine.audit(text, "markdown", big)
    matches = sum(
        len(p.matches) for t in texts for p in engine.audit(t, "markdown", small).personas
    )

    def audit_all(personas: list[Any]) -> Callable[[], None]:
        return lambda: [engine.audit(t, "markdown", personas) for t in texts]

    engine_small = rate(audit_all(small), total_words, repeats)
    engine_big = rate(audit_all(big), total_words, repeats)
    ratio = engine_small / floor
    print(
        f"engine   20 personas x 100 keywords                    {engine_small:>10,.0f} w/s"
        f"   {ratio:.2f} x floor  {verdict(ratio >= 0.6)} (>= 0.60)"
        f"   [{matches * 1000 / total_words:.1f} matches per 1,000 words]"
    )
    print(
        f"engine   10,000 keywords (10 personas x 1,000)         {engine_big:>10,.0f} w/s"
        f"   {engine_big / floor:.2f} x floor  [matcher compiled in {build_s:.2f} s]"
    )

    regex_small, _ = regex_rate(small_terms, texts, regex_budget)
    regex_big, _ = regex_rate(big_terms, texts, regex_budget)
    big_ok = engine_big > regex_big
    print(
        f"regex    20 x 100 keywords, \\b(?:...)\\b IGNORECASE     {regex_small:>10,.0f} w/s"
        f"   engine/regex {engine_small / regex_small:.1f} x"
    )
    print(
        f"regex    10,000 keywords, \\b(?:...)\\b IGNORECASE      {regex_big:>10,.0f} w/s"
        f"   engine/regex {engine_big / regex_big:.1f} x  {verdict(big_ok)} (engine faster)"
    )

    draft = corpus.Prose(SEED + 1).markdown(2000)
    draft_words = len(draft.split())
    for _ in range(10):
        engine.audit(draft, "markdown", small)
    latencies = []
    for _ in range(latency_runs):
        start = time.perf_counter()
        engine.audit(draft, "markdown", small)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"latency  one {draft_words:,}-word Markdown audit, 20 x 100: p50 {p50:.1f} ms,"
        f" p95 {p95:.1f} ms  {verdict(p50 < 15)} (p50 < 15 ms)"
    )

    # Its own pipelines, as in a worker that only audits (the engine above keeps the
    # process pipeline alive, which a recycle here would otherwise leave behind).
    memory = nlp.AuditEngine(pipeline_factory=nlp.build_pipeline, max_new_strings=memory_limit)
    memory.audit("warm up", "plain", small)
    prose = corpus.Prose(SEED + 2)
    checkpoints = []
    print(
        f"memory   {memory_docs:,} short texts of {memory_words} invented words, 20 x 100"
        f" keywords, recycling after {memory.max_new_strings:,} new strings:"
    )
    start = time.perf_counter()
    for i in range(1, memory_docs + 1):
        memory.audit(prose.invented_words(memory_words), "plain", small)
        if i % checkpoint == 0:
            checkpoints.append(rss_mb())
            strings = len(memory.nlp.vocab.strings)
            print(
                f"         after {i:>6,} texts: RSS {checkpoints[-1]:6.1f} MB,"
                f" string store {strings:>7,}, recycles {memory.recycles}"
            )
    growth = (max(checkpoints[2:]) - checkpoints[1]) / checkpoints[1]
    flat = growth < 0.10
    print(
        f"         {time.perf_counter() - start:.1f} s; highest later checkpoint vs the second"
        f" {growth:+.1%}  {verdict(flat)} (< +10%)"
    )

    ok = ratio >= 0.6 and p50 < 15 and big_ok and flat
    print("ALL TARGETS PASS" if ok else "SOME TARGETS FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
