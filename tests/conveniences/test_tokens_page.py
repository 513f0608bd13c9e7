"""The API tokens page says times on the workspace's clock and offers a copy button."""

from __future__ import annotations

import re

from planner.models import ApiToken
from planner.services.accounts import TOKEN_PREFIX
from tests.conveniences.helpers import FIXED_TOKYO_TEXT, FIXED_UTC


def test_token_times_are_in_the_workspace_zone(client, login, acme, make_token, session):
    make_token(acme["owner"], name="CMS gate")
    token = session.query(ApiToken).one()
    token.created_at = FIXED_UTC
    token.last_used_at = FIXED_UTC
    session.commit()
    login(acme["owner"])
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert "Times in Asia/Tokyo." in page
    row = page[page.index("CMS gate") :]
    row = row[: row.index("</tr>")]
    assert row.count(FIXED_TOKYO_TEXT) == 2  # created and last used, 18:00 in Tokyo
    assert "UTC" not in row


def test_a_new_token_has_a_copy_button_and_no_inline_script(client, login, acme):
    login(acme["owner"])
    response = client.post("/settings/tokens", data={"name": "CI"})
    page = response.get_data(as_text=True)
    secret = re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)
    assert secret.startswith(TOKEN_PREFIX)
    assert '<button type="button" class="small" data-copy="#new-token">Copy token</button>' in page
    assert "data-copy-status" in page
    assert "/static/js/copy.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # the CSP forbids inline script
    script_policy = response.headers["Content-Security-Policy"].split("script-src")[1]
    assert "'unsafe-inline'" not in script_policy.split(";")[0]
    assert client.get("/static/js/copy.js").status_code == 200
