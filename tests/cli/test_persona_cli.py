"""`flask users|tokens|personas|demo` as an operator uses them."""

from pathlib import Path

import yaml
from sqlalchemy import func, select

from planner.models import ApiToken, Persona, PersonaKeyword
from planner.services.personas.file import parse_persona_yaml

GOOD = """\
personas:
  - name: Enterprise Procurement Pete
    kind: negative
    summary: IT procurement lead at a 5,000-person company
    job_titles: [Procurement manager, IT director]
    red_flags: [asks for an RFP]
    channels: [linkedin, blog]
    content_types: [article]
    timezone: America/New_York
    posting_windows:
      - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "10:30"}
    thresholds: {warn: 2, block: 5}
    keywords:
      - term: on-premise
        weight: 3
        suggest: hosted for you
      - term: request for proposal
      - term: RFP
        case_sensitive: true
  - name: Owner Olivia
    kind: buyer
    timezone: Europe/London
    cadence: {min_per_week: 1, max_per_week: 5}
    keywords: [small business, shared inbox]
"""


def _write(tmp_path: Path, text: str, name: str = "personas.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_users_and_tokens_create(runner, session):
    result = runner.invoke(
        args=["users", "create", "--email", "Ann@Example.com", "--password", "long enough pw",
              "--workspace", "Acme", "--role", "owner"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ann@example.com is owner of Acme" in result.output
    result = runner.invoke(
        args=[
            "tokens",
            "create",
            "--email",
            "ann@example.com",
            "--workspace",
            "Acme",
            "--name",
            "ci",
        ]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("pp_")
    stored = session.scalar(select(ApiToken))
    assert stored.token_hash != secret and secret not in stored.token_hash


def test_users_create_rejects_bad_input(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "nope", "--password", "x", "--workspace", "Acme"]
    )
    assert result.exit_code == 2
    assert "email" in result.output and "password" in result.output


def test_import_export_round_trip_is_idempotent(runner, session, tmp_path, make_user):
    make_user("o@example.com", "Acme", "owner")
    path = _write(tmp_path, GOOD)
    first = runner.invoke(args=["personas", "import", path, "--workspace", "Acme"])
    assert first.exit_code == 0, first.output
    assert "2 created, 0 updated, 0 unchanged" in first.output
    second = runner.invoke(args=["personas", "import", path, "--workspace", "Acme"])
    assert "0 created, 0 updated, 2 unchanged" in second.output
    assert session.scalar(select(func.count(Persona.id))) == 2
    pete = session.scalar(select(Persona).where(Persona.name == "Enterprise Procurement Pete"))
    assert pete.version == 1

    exported = runner.invoke(args=["personas", "export", "--workspace", "Acme"])
    assert exported.exit_code == 0
    by_name = lambda specs: sorted(specs, key=lambda spec: spec.name)  # noqa: E731
    assert by_name(parse_persona_yaml(exported.output)) == by_name(parse_persona_yaml(GOOD))

    make_user("o@example.com", "Other", "owner")
    again = _write(tmp_path, exported.output, "exported.yaml")
    result = runner.invoke(args=["personas", "import", again, "--workspace", "Other"])
    assert "2 created" in result.output
    reexported = runner.invoke(args=["personas", "export", "--workspace", "Other"])
    assert yaml.safe_load(reexported.output) == yaml.safe_load(exported.output)


def test_changed_keywords_update_and_bump_version(runner, session, tmp_path, make_user):
    make_user("o@example.com", "Acme", "owner")
    runner.invoke(args=["personas", "import", _write(tmp_path, GOOD), "--workspace", "Acme"])
    changed = GOOD.replace("- term: request for proposal", "- term: request for quotation")
    result = runner.invoke(
        args=["personas", "import", _write(tmp_path, changed, "b.yaml"), "--workspace", "Acme"]
    )
    assert "0 created, 1 updated, 1 unchanged" in result.output
    pete = session.scalar(select(Persona).where(Persona.name == "Enterprise Procurement Pete"))
    session.refresh(pete)
    assert pete.version == 2
    assert "request for quotation" in [k.term for k in pete.keywords]


def test_a_bad_file_writes_nothing_and_says_file_and_line(runner, session, tmp_path, make_user):
    make_user("o@example.com", "Acme", "owner")
    bad = GOOD.replace("    timezone: Europe/London", "    timezone: Europe/Londn").replace(
        "      - term: request for proposal",
        "      - term: request for proposal\n        weight: lots",
    )
    path = _write(tmp_path, bad)
    result = runner.invoke(args=["personas", "import", path, "--workspace", "Acme"])
    assert result.exit_code == 2
    lines = bad.splitlines()
    weight_line = next(i for i, line in enumerate(lines, 1) if "weight: lots" in line)
    tz_line = next(i for i, line in enumerate(lines, 1) if "Europe/Londn" in line)
    assert (
        f"{path}:{weight_line}: personas[0].keywords[1].weight: must be a number" in result.output
    )
    assert f"{path}:{tz_line}: personas[1].timezone:" in result.output
    assert session.scalar(select(func.count(Persona.id))) == 0
    assert session.scalar(select(func.count(PersonaKeyword.id))) == 0


def test_malformed_yaml_and_non_utf8_exit_2(runner, tmp_path, make_user):
    make_user("o@example.com", "Acme", "owner")
    broken = _write(tmp_path, "personas:\n  - name: [unclosed\n")
    result = runner.invoke(args=["personas", "import", broken, "--workspace", "Acme"])
    assert (
        result.exit_code == 2
        and f"{broken}:" in result.output
        and "not valid YAML" in result.output
    )
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("personas:\n  - name: Caf\xe9\n".encode("latin-1"))
    result = runner.invoke(args=["personas", "import", str(latin), "--workspace", "Acme"])
    assert result.exit_code == 2 and f"{latin}:2: is not valid UTF-8" in result.output
    missing = runner.invoke(
        args=["personas", "import", str(tmp_path / "no.yaml"), "--workspace", "Acme"]
    )
    assert missing.exit_code == 2


def test_unknown_workspace_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(
        args=["personas", "import", _write(tmp_path, GOOD), "--workspace", "Nope"]
    )
    assert result.exit_code == 2 and "No workspace named 'Nope'" in result.output


def test_demo_load_is_idempotent_and_realistic(runner, session):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "demo@example.com" in first.output
    runner.invoke(args=["demo", "load"])
    personas = list(session.scalars(select(Persona)))
    kinds = [p.kind for p in personas]
    assert kinds.count("buyer") >= 2 and kinds.count("negative") >= 3
    for persona in personas:
        assert len(persona.keywords) >= 15, persona.name
        assert persona.posting_windows and persona.channels
        if persona.kind == "negative":
            assert persona.red_flags
    skipped = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in skipped.output
