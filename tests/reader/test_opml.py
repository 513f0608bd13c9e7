"""OPML import and export: the parser, the service, the page and the commands."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from planner.errors import PermissionDenied, ValidationError
from planner.models.feed import Feed
from planner.services.feeds import admin as feed_admin
from planner.services.feeds.opml import parse_opml
from tests.reader.helpers import opml, outline

A = "http://127.0.0.1:9/a.xml"
B = "http://127.0.0.1:9/b.xml"
C = "http://127.0.0.1:9/c.xml"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<opml version="2.0"><body><outline text="&d;" xmlUrl="http://127.0.0.1:9/a.xml"/></body></opml>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&x;" xmlUrl="http://127.0.0.1:9/a.xml"/></body></opml>"""


def feed_count(session) -> int:
    return session.scalar(select(func.count(Feed.id))) or 0


@pytest.mark.nodb
def test_nested_folders_are_read_through():
    content = opml(
        outline(A, "Top level"),
        outline("", "News", outline(B, "Tech daily"), outline("", "Deep", outline(C, "Deeper"))),
    )
    feeds = parse_opml(content)
    assert [(f.url, f.title, f.folder) for f in feeds] == [
        (A, "Top level", ""),
        (B, "Tech daily", "News"),
        (C, "Deeper", "News / Deep"),
    ]


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"<opml><body><outline xmlUrl='x'>", "malformed XML"),
        (BOMB, "declares a DTD or entities"),
        (EXTERNAL, "declares a DTD or entities"),
        (opml(outline("", "Folder only", outline("", "Empty"))), "no outline has an xmlUrl"),
        (b"<rss version='2.0'><channel/></rss>", "not <opml>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (
            "<opml><body><outline text='caf\u00e9' xmlUrl='http://127.0.0.1:9/a'/></body></opml>".encode(
                "latin-1"
            ),
            "not UTF-8",
        ),
    ],
)
def test_bad_opml_is_one_clear_error(content, reason):
    with pytest.raises(ValidationError, match=reason) as raised:
        parse_opml(content)
    assert raised.value.message.startswith("Not a usable OPML file: ")
    assert raised.value.message.endswith("Nothing was imported.")


@pytest.mark.nodb
def test_a_declared_encoding_other_than_utf8_is_honoured():
    content = (
        "<?xml version='1.0' encoding='ISO-8859-1'?><opml version='1.0'><body>"
        "<outline title='Caf\u00e9 news' xmlUrl='http://127.0.0.1:9/a.xml'/></body></opml>"
    ).encode("latin-1")
    assert parse_opml(content)[0].title == "Caf\u00e9 news"


def test_import_adds_new_feeds_and_reports_duplicates_and_refusals(session, acme):
    actor = acme["actor"]
    feed_admin.add_feed(session, actor, {"url": A, "title": "Already here"}, allow_private=True)
    session.commit()
    content = opml(
        outline(A, "Same as existing"),
        outline("", "Folder", outline(B, "Bee"), outline(B, "Bee again")),
        outline("javascript:alert(1)", "Hostile"),
        outline(C, ""),
    )
    result = feed_admin.import_opml(session, actor, content, allow_private=True)
    session.commit()
    assert [(f.url, f.display_title) for f in result.added] == [(B, "Bee"), (C, C)]
    assert [d.title for d in result.duplicates] == ["Same as existing", "Bee again"]
    assert [(r.url, "http" in reason) for r, reason in result.refused] == [
        ("javascript:alert(1)", True)
    ]
    assert feed_count(session) == 3
    # A feed added by OPML is polled at the next round, like one added by hand.
    assert all(f.next_poll_at is not None for f in result.added)


def test_refusals_add_nothing(session, acme):
    """Private addresses unless allowed, a bad file, a viewer: no feed is added."""
    result = feed_admin.import_opml(session, acme["actor"], opml(outline(A, "Loopback")))
    assert not result.added and result.refused[0][0].url == A
    with pytest.raises(ValidationError):
        feed_admin.import_opml(session, acme["actor"], BOMB, allow_private=True)
    with pytest.raises(PermissionDenied):
        feed_admin.import_opml(session, acme["viewer_actor"], opml(outline(A)), allow_private=True)
    session.rollback()
    assert feed_count(session) == 0


def test_export_round_trips_through_import(session, acme, globex):
    for url, title in ((A, "Alpha & Co"), (B, "")):
        feed_admin.add_feed(
            session, acme["actor"], {"url": url, "title": title}, allow_private=True
        )
    feed_admin.add_feed(session, globex["actor"], {"url": C}, allow_private=True)
    session.commit()
    document = feed_admin.export_opml(session, acme["actor"])
    assert document.startswith(b"<?xml") and b"<title>Acme feeds</title>" in document
    assert [(f.url, f.title) for f in parse_opml(document)] == [(B, B), (A, "Alpha & Co")]
    # Imported into another workspace, the export gives the same feeds.
    result = feed_admin.import_opml(session, globex["actor"], document, allow_private=True)
    assert [f.url for f in result.added] == [B, A]


def test_opml_page_imports_an_upload_and_exports(client, login, session, acme, allow_private):
    login(acme["editor"])
    assert "Import or export OPML" in client.get("/feeds/").get_data(as_text=True)
    upload = {
        "file": (io.BytesIO(opml(outline(A, "Alpha"), outline(A, "Alpha twice"))), "subs.opml")
    }
    response = client.post("/feeds/opml", data=upload, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Added 1 feed; skipped 1 already monitored" in html and "Alpha twice" in html
    exported = client.get("/feeds/opml/export")
    assert exported.mimetype == "text/x-opml"
    assert "attachment" in exported.headers["Content-Disposition"]
    assert [f.url for f in parse_opml(exported.data)] == [A]


def test_opml_page_shows_a_bad_file_error_and_adds_nothing(client, login, session, acme):
    login(acme["editor"])
    upload = {"file": (io.BytesIO(b"<opml><body>"), "broken.opml")}
    response = client.post("/feeds/opml", data=upload, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Not a usable OPML file: malformed XML" in response.get_data(as_text=True)
    assert feed_count(session) == 0


def test_viewers_see_export_only(client, login, acme):
    login(acme["viewer"])
    html = client.get("/feeds/opml").get_data(as_text=True)
    assert "Download this workspace" in html and "Import feeds" not in html
    upload = {"file": (io.BytesIO(opml(outline(A))), "subs.opml")}
    response = client.post("/feeds/opml", data=upload, content_type="multipart/form-data")
    assert response.status_code == 403


def test_cli_import_and_export(runner, session, acme, allow_private, tmp_path):
    path = tmp_path / "subs.opml"
    path.write_bytes(opml(outline("", "Folder", outline(A, "Alpha")), outline(B, "Bee")))
    result = runner.invoke(args=["feeds", "import-opml", str(path), "--workspace", "Acme"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2 added, 0 already monitored, 0 refused."
    again = runner.invoke(args=["feeds", "import-opml", str(path), "--workspace", "Acme"])
    assert again.output.splitlines()[-1] == "0 added, 2 already monitored, 0 refused."
    out = tmp_path / "out.opml"
    exported = runner.invoke(args=["feeds", "export-opml", "--workspace", "Acme", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert sorted(f.url for f in parse_opml(out.read_bytes())) == [A, B]

    # A bad file, or one that cannot be read, exits 2 and adds nothing.
    bomb = tmp_path / "bomb.opml"
    bomb.write_bytes(BOMB.replace(b"a.xml", b"new.xml"))
    result = runner.invoke(args=["feeds", "import-opml", str(bomb), "--workspace", "Acme"])
    assert result.exit_code == 2
    assert "error: Not a usable OPML file" in result.output
    missing = runner.invoke(
        args=["feeds", "import-opml", str(tmp_path / "nope.opml"), "--workspace", "Acme"]
    )
    assert missing.exit_code == 2 and "cannot read" in missing.output
    assert feed_count(session) == 2
