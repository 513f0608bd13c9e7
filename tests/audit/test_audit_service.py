"""The audit service: lexicons from rows and files, workspace scoping, input checks."""

import pytest
from sqlalchemy import select

import nlp
from planner.errors import LexiconError, PayloadTooLarge, ValidationError
from planner.models import Persona, PersonaKeyword
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.access import Actor
from planner.services.personas import service as persona_service
from planner.services.personas.file import PersonaFileError, read_persona_file
from planner.services.personas.schema import KeywordSpec, PersonaSpec, validate_persona
from tests.audit.helpers import DATA, audit_file_personas
from tests.helpers import persona_doc


def test_lexicon_of_carries_the_persona(acme):
    _, _, pete, _ = acme
    lexicon = lexicon_service.lexicon_of(pete)
    assert isinstance(lexicon, nlp.PersonaLexicon)
    assert (lexicon.id, lexicon.name, lexicon.kind) == (pete.id, pete.name, "negative")
    assert (lexicon.warn, lexicon.block) == (2.0, 5.0)
    assert lexicon.keywords == (
        nlp.Keyword("on-premise", 3.0, "hosted for you", False),
        nlp.Keyword("request for proposal", 1.0, None, False),
    )


def test_lexicon_follows_edits_and_renames(session, acme):
    _, actor, pete, _ = acme
    before = lexicon_service.lexicon_of(pete)
    assert lexicon_service.lexicon_of(pete) is before  # memoised while nothing changed
    spec = validate_persona(persona_doc(keywords=[{"term": "RFP", "case_sensitive": True}]))
    persona_service.update_persona(session, actor, pete, spec)
    session.commit()
    after = lexicon_service.lexicon_of(pete)
    assert [k.term for k in after.keywords] == ["RFP"] and after.version != before.version
    persona_service.update_persona(
        session, actor, pete, validate_persona({**spec.to_document(), "name": "Pete"})
    )
    session.commit()
    assert lexicon_service.lexicon_of(pete).name == "Pete"
    result = audit_service.audit_text(session, actor, "Send an RFP.", "plain")
    assert result.personas[0].name == "Pete" and result.personas[0].score == 1.0


def test_a_new_persona_reusing_an_old_id_is_not_audited_with_the_old_keywords(
    session, acme, make_persona
):
    """SQLite gives a deleted persona's id to the next one; the audit must not mix them."""
    _, actor, pete, olivia = acme
    text = "A small business coupon."
    first = audit_service.audit_text(session, actor, text, "plain")
    assert [m.term for m in first.personas[1].matches] == ["small business"]
    old_id = olivia.id
    persona_service.remove_persona(session, actor, olivia)
    session.commit()
    newcomer = make_persona(
        actor, name="Bargain Bea", kind="buyer", keywords=[{"term": "coupon", "weight": 5}]
    )
    if session.get_bind().dialect.name == "sqlite":
        assert newcomer.id == old_id  # the situation this test is about
    result = audit_service.audit_text(session, actor, text, "plain")
    bea = next(p for p in result.personas if p.id == newcomer.id)
    assert [(m.term, m.text) for m in bea.matches] == [("coupon", "coupon")]


def test_workspace_lexicons_are_active_personas_of_that_workspace(session, acme, globex):
    _, actor, pete, olivia = acme
    lexicons = lexicon_service.workspace_lexicons(session, actor.workspace_id)
    assert [lx.id for lx in lexicons] == [pete.id, olivia.id]  # negatives first
    persona_service.remove_persona(session, actor, olivia)  # nothing refers to it: deleted
    session.commit()
    assert [lx.id for lx in lexicon_service.workspace_lexicons(session, actor.workspace_id)] == [
        pete.id
    ]
    only = lexicon_service.workspace_lexicons(session, actor.workspace_id, [pete.id])
    assert [lx.name for lx in only] == [pete.name]


def test_another_workspaces_persona_is_refused_like_an_unknown_one(session, acme, globex):
    _, actor, _, _ = acme
    _, _, secret = globex
    missing = max(session.scalars(select(Persona.id))) + 100
    errors = {}
    for persona_id in (secret.id, missing):
        with pytest.raises(ValidationError) as caught:
            lexicon_service.workspace_lexicons(session, actor.workspace_id, [persona_id])
        errors[persona_id] = caught.value.details["personas"]
    assert errors[secret.id] == f"no active persona with id {secret.id} in this workspace"
    assert errors[missing] == f"no active persona with id {missing} in this workspace"
    result = audit_service.audit_text(session, actor, "synergy synergy", "plain")
    assert "Globex Secret" not in [p.name for p in result.personas]


def test_archived_personas_are_not_audited(session, acme, monkeypatch):
    _, actor, pete, _ = acme
    from planner.services.personas import refs as persona_refs

    monkeypatch.setattr(persona_refs, "is_referenced", lambda session, persona_id: True)
    assert persona_service.remove_persona(session, actor, pete) == "archived"
    session.commit()
    result = audit_service.audit_text(session, actor, "We go on-premise.", "plain")
    assert result.verdict == "pass" and pete.name not in [p.name for p in result.personas]
    with pytest.raises(ValidationError) as caught:
        audit_service.audit_text(session, actor, "x", "plain", persona_ids=[pete.id])
    assert "personas" in caught.value.details


def test_audit_text_checks_its_input(session, acme):
    _, actor, pete, _ = acme
    cases = [
        (dict(text=None, fmt="plain"), "text"),
        (dict(text=42, fmt="plain"), "text"),
        (dict(text="x", fmt="docx"), "format"),
        (dict(text="x", fmt=None), "format"),
        (dict(text="x", fmt="plain", persona_ids="3"), "personas"),
        (dict(text="x", fmt="plain", persona_ids=[True]), "personas"),
        (dict(text="x", fmt="plain", persona_ids=["3"]), "personas"),
        (dict(text="x", fmt="plain", target_ids=[999_999]), "target_personas"),
    ]
    for kwargs, field in cases:
        text, fmt = kwargs.pop("text"), kwargs.pop("fmt")
        with pytest.raises(ValidationError) as caught:
            audit_service.audit_text(session, actor, text, fmt, **kwargs)
        assert field in caught.value.details, (text, fmt, kwargs)
    too_long = "a " * (audit_service.MAX_AUDIT_CHARS // 2 + 1)
    with pytest.raises(PayloadTooLarge) as caught:
        audit_service.audit_text(session, actor, too_long, "plain")
    assert caught.value.status == 413 and caught.value.code == "too_large"


def test_any_role_may_audit_and_targets_are_always_audited(session, acme, make_user, actor_for):
    _, _, pete, olivia = acme
    viewer = actor_for(make_user("vi@example.com", "Acme", "viewer"), "Acme")
    assert viewer.role == "viewer"
    text = "We go on-premise."
    result = audit_service.audit_text(
        session, viewer, text, "plain", persona_ids=[pete.id], target_ids=[olivia.id]
    )
    assert [p.id for p in result.personas] == [pete.id, olivia.id]
    assert result.verdict == "warn"  # Pete scores 3 (warn), and Olivia is never addressed
    assert [f.persona for f in result.findings] == [olivia.name, pete.name]
    assert result.findings[1].start == text.index("on-premise")


def test_dismissed_matches_do_not_count(session, acme):
    _, actor, pete, _ = acme
    first = audit_service.audit_text(session, actor, "On-premise, on premise.", "plain")
    keys = [nlp.dismissal_key(pete.id, m) for m in first.personas[0].matches]
    again = audit_service.audit_text(
        session, actor, "On-premise, on premise.", "plain", dismissed=keys
    )
    assert first.verdict == "block" and again.verdict == "pass"
    assert all(m.dismissed for m in again.personas[0].matches)


def test_file_personas_are_named_by_name_and_need_no_database():
    specs = read_persona_file(DATA / "personas.yaml")
    lexicons = lexicon_service.lexicons_from_specs(specs)
    assert [lx.id for lx in lexicons] == ["Enterprise Procurement Pete", "Owner Olivia"]
    result = audit_file_personas("An RFP, not an rfp.", "plain", specs, target_ids=["Owner Olivia"])
    pete = result.personas[0]
    assert [m.text for m in pete.matches] == ["RFP"]  # case-sensitive keyword
    assert result.to_dict()["personas"][1]["id"] == "Owner Olivia"
    assert result.verdict == "warn"
    with pytest.raises(ValidationError):
        audit_file_personas("x", "plain", specs, target_ids=["Nobody"])


def test_same_name_different_keywords_in_two_files_do_not_share_a_matcher():
    one = [validate_persona(persona_doc(keywords=["coupon"]))]
    two = [validate_persona(persona_doc(keywords=["voucher"]))]
    assert audit_file_personas("a coupon", "plain", one).personas[0].score == 1.0
    assert audit_file_personas("a coupon", "plain", two).personas[0].score == 0


def test_a_keyword_the_engine_cannot_use_is_an_error_in_a_file():
    with pytest.raises(PersonaFileError) as caught:
        read_persona_file(DATA / "unmatchable_keyword.yaml")
    assert "keywords[0].term: needs at least one letter or digit" in caught.value.message
    spec = PersonaSpec(name="Punctuation Pat", kind="negative", keywords=(KeywordSpec("!!!"),))
    with pytest.raises(LexiconError) as caught:
        lexicon_service.lexicons_from_specs([spec])
    assert "Punctuation Pat" in caught.value.message and "!!!" in caught.value.message


def test_a_stored_keyword_the_engine_cannot_use_is_left_out(session, acme, make_persona):
    """Rows stored before keywords needed a letter or digit still audit, without them."""
    _, actor, _, _ = acme
    odd = make_persona(actor, name="Odd", keywords=["coupon"])
    session.add(PersonaKeyword(persona_id=odd.id, position=1, term="!!!", weight=1.0))
    odd.version += 1
    session.commit()
    session.refresh(odd)
    assert [k.term for k in lexicon_service.lexicon_of(odd).keywords] == ["coupon"]
    result = audit_service.audit_text(session, actor, "coupon!!!", "plain", persona_ids=[odd.id])
    assert result.personas[0].score == 1.0


def test_actor_workspace_scopes_even_with_a_forged_actor(session, acme, globex):
    _, _, secret = globex
    _, actor, _, _ = acme
    forged = Actor(user_id=None, workspace_id=actor.workspace_id, role="owner")
    with pytest.raises(ValidationError):
        audit_service.audit_text(session, forged, "x", "plain", target_ids=[secret.id])
