"""The engine around the rules: matcher cache, recycling, errors, threads, imports."""

from __future__ import annotations

import dataclasses
import os
import random
import string
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import nlp
from nlp import (
    AuditEngine,
    AuditInputError,
    Keyword,
    LexiconError,
    NlpError,
    PersonaLexicon,
    PipelineError,
    audit,
    build_pipeline,
    load_pipeline,
)

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Our procurement processes run on-premise; send RFPs.\n\nSmall teams grew revenue."


def _invented_words(seed: int, count: int) -> str:
    """Invented words glued to a keyword, so spaCy reads them while confirming it."""
    rng = random.Random(seed)
    return " ".join(
        "on-premise/" + "".join(rng.choice(string.ascii_lowercase) for _ in range(9))
        for _ in range(count)
    )


@pytest.fixture(scope="module")
def own_engine_factory():
    """Return a factory of engines with their own pipelines (so counts start at zero)."""
    return lambda **kwargs: AuditEngine(pipeline_factory=build_pipeline, **kwargs)


def test_same_versions_never_rebuild_the_matcher(own_engine_factory, make_persona):
    engine = own_engine_factory()
    pete = make_persona("on-premise")
    sam = make_persona("small team", kind="buyer")
    for _ in range(5):
        engine.audit(TEXT, "plain", [pete, sam])
    engine.audit(TEXT, "markdown", [sam, pete])  # order does not matter
    assert engine.matcher_builds == 1


def test_version_bump_rebuilds_the_matcher(own_engine_factory, make_persona):
    engine = own_engine_factory()
    pete = make_persona("on-premise")
    assert engine.audit(TEXT, "plain", [pete]).personas[0].score == 1.0
    edited = PersonaLexicon(
        pete.id, pete.name, pete.kind, pete.version + 1, (Keyword("on-premise"), Keyword("RFP"))
    )
    assert engine.audit(TEXT, "plain", [edited]).personas[0].score == 2.0
    assert engine.matcher_builds == 2
    engine.audit(TEXT, "plain", [edited])
    engine.audit(TEXT, "plain", [pete])  # the old version is still cached
    assert engine.matcher_builds == 2


def test_another_persona_set_builds_another_matcher(own_engine_factory, make_persona):
    engine = own_engine_factory(max_matchers=2)
    a, b, c = make_persona("on-premise"), make_persona("RFP"), make_persona("revenue")
    for personas in ([a], [a, b], [a], [a, b]):
        engine.audit(TEXT, "plain", personas)
    assert engine.matcher_builds == 2
    engine.audit(TEXT, "plain", [c])  # evicts [a], the least recently used
    engine.audit(TEXT, "plain", [a, b])
    assert engine.matcher_builds == 3
    engine.audit(TEXT, "plain", [a])
    assert engine.matcher_builds == 4


def test_no_keywords_means_no_matcher(own_engine_factory, make_persona):
    engine = own_engine_factory()
    result = engine.audit(TEXT, "plain", [make_persona()])
    assert (result.personas[0].matches, engine.matcher_builds) == ([], 0)


def test_recycling_bounds_the_string_store_and_keeps_results(own_engine_factory, make_persona):
    engine = own_engine_factory(max_new_strings=3000)
    pete = make_persona(Keyword("on-premise", 3), Keyword("RFP", case_sensitive=True))
    sam = make_persona("grow revenue", "small team", kind="buyer")
    before = engine.audit(TEXT, "markdown", [pete, sam], target_ids=[sam.id])
    first_nlp = engine.nlp
    assert engine.recycles == 0
    for seed in range(4):
        engine.audit(_invented_words(seed, 1000), "plain", [pete, sam])
    assert engine.recycles >= 1
    assert engine.generation == engine.recycles
    assert engine.nlp is not first_nlp
    assert len(engine.nlp.vocab.strings) < len(first_nlp.vocab.strings)
    after = engine.audit(TEXT, "markdown", [pete, sam], target_ids=[sam.id])
    assert after == before
    assert engine.matcher_builds == engine.recycles + 1  # recompiled once per new pipeline


def test_default_engine_recycles_the_process_pipeline(monkeypatch):
    engine = AuditEngine(max_new_strings=10)
    shared = load_pipeline()
    assert engine.nlp is shared
    engine.recycle()
    assert engine.nlp is not shared
    assert engine.nlp is load_pipeline()  # the process cache now holds the fresh one


def test_load_pipeline_is_cached_and_runs_no_components():
    pipeline = load_pipeline()
    assert load_pipeline() is pipeline
    assert pipeline.pipe_names == []  # keywords are inflected up front: no lemmatizer
    assert [t.text for t in pipeline.tokenizer("don't e.g. RFPs")] == ["don't", "e.g", ".", "RFPs"]


def test_unknown_model_is_a_pipeline_error(monkeypatch):
    monkeypatch.setenv("NLP_MODEL", "no_such_model_installed")
    with pytest.raises(PipelineError, match="no_such_model_installed"):
        build_pipeline()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda e, p: e.audit("x", "docx"), "unknown format 'docx'"),
        (lambda e, p: e.audit(b"x"), "must be a str"),
        (lambda e, p: e.audit("x" * 101), "longer than 100"),
        (lambda e, p: e.audit("x", "plain", [p, p]), "given twice"),
        (lambda e, p: e.audit("x", "plain", [p], target_ids=["nobody"]), "'nobody'"),
        (lambda e, p: e.audit("x", "plain", [p], dismissed=[("a", "b")]), "dismissed key"),
        (lambda e, p: e.audit("x", "plain", ["pete"]), "PersonaLexicon"),
    ],
)
def test_bad_input_raises_audit_input_error(make_persona, call, message):
    engine = AuditEngine(max_chars=100)
    with pytest.raises(AuditInputError, match=message) as caught:
        call(engine, make_persona("x"))
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, NlpError)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Keyword("  -- "),
        lambda: Keyword("x", weight=-1),
        lambda: Keyword("x", weight=float("nan")),
        lambda: Keyword("x", weight="heavy"),
        lambda: PersonaLexicon(1, "P", "neutral", 1, ()),
        lambda: PersonaLexicon(1, "P", "negative", 1, ("x",)),
        lambda: PersonaLexicon(1, "P", "negative", 1, (), warn=0),
        lambda: PersonaLexicon(1, "P", "negative", 1, (), warn=6, block=5),
        lambda: PersonaLexicon(True, "P", "negative", 1, ()),
    ],
)
def test_bad_lexicons_raise_lexicon_error(build):
    with pytest.raises(LexiconError):
        build()


def test_lexicons_are_frozen_and_normalised():
    keyword = Keyword("on-premise", 3, suggest="  ")
    assert (keyword.weight, keyword.suggest) == (3.0, None)
    persona = PersonaLexicon(1, "P", "negative", 1, [keyword], warn=1)
    assert persona.keywords == (keyword,)
    assert persona.thresholds == (1.0, 5.0)
    with pytest.raises(AttributeError):
        persona.version = 2  # type: ignore[misc]


def test_module_level_audit_uses_one_default_engine(make_persona):
    pete = make_persona("on-premise")
    assert nlp.default_engine() is nlp.default_engine()
    result = audit("On-premise.", "plain", [pete])
    assert result.personas[0].matches[0].text == "On-premise"


def test_results_hold_no_spacy_objects(engine, make_persona):
    pete = make_persona("on-premise", "RFP")
    result = engine.audit("<p>On-premise RFPs</p>", "html", [pete])

    def walk(value):
        assert not type(value).__module__.startswith(("spacy", "thinc", "numpy"))
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value):
            assert set(vars(value)) == {field.name for field in dataclasses.fields(value)}
            for item in vars(value).values():
                walk(item)

    walk(result.to_dict())
    walk(result)


def test_concurrent_audits_agree(own_engine_factory, make_persona):
    engine = own_engine_factory(max_new_strings=2000)
    pete = make_persona(Keyword("on-premise", 2), "procurement process")
    expected = engine.audit(TEXT, "markdown", [pete])

    def work(seed: int) -> bool:
        same = True
        for i in range(15):
            engine.audit(_invented_words(seed * 100 + i, 150), "plain", [pete])
            same &= engine.audit(TEXT, "markdown", [pete]) == expected
        return same

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(work, range(4)))
    assert engine.recycles >= 1


def test_importing_nlp_loads_neither_flask_nor_sqlalchemy():
    code = (
        "import sys, nlp\n"
        "r = nlp.audit('On-premise.', 'plain', [nlp.PersonaLexicon(1, 'P', 'negative', 1,"
        " (nlp.Keyword('on-premise'),))])\n"
        "assert r.personas[0].score == 1.0, r\n"
        "bad = [m for m in ('flask', 'sqlalchemy', 'planner') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_importing_nlp_does_not_import_spacy_until_needed():
    code = "import sys, nlp\nassert 'spacy' not in sys.modules\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
