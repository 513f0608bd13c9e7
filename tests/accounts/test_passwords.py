"""Weak passwords are refused everywhere, and sign-in time does not tell who has an account."""

from __future__ import annotations

import statistics
import time

import pytest

from planner.errors import ValidationError
from planner.services import accounts
from planner.services.accounts_passwords import common_passwords, password_problem
from tests.helpers import PASSWORD


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("12345678", "at least 10"),
        ("short1!", "at least 10"),
        ("ann.lee@example.com", "email"),
        ("ANN.LEE@example.com", "email"),
        ("ann.lee", "at least 10"),
        ("1234567890", "common"),
        ("qwertyuiop", "common"),
        ("Password123", "common"),
    ],
)
def test_policy_refuses_short_email_and_common_passwords(password, why):
    problem = password_problem(password, "ann.lee@example.com")
    assert problem is not None and why in problem


def test_policy_refuses_the_local_part_when_long_enough():
    assert "email" in password_problem("annabelle.lee", "annabelle.lee@example.com")


def test_policy_accepts_a_long_uncommon_password():
    assert password_problem(PASSWORD, "ann.lee@example.com") is None
    assert len(common_passwords()) == 10_000


def test_cli_create_refuses_a_common_password_with_exit_2(runner, session):
    args = ["users", "create", "--email", "ann@example.com", "--workspace", "Acme"]
    result = runner.invoke(args=[*args, "--password", "12345678"])
    assert result.exit_code == 2 and "at least 10 characters" in result.output
    result = runner.invoke(args=[*args, "--password", "ann@example.com"])
    assert result.exit_code == 2 and "email" in result.output
    result = runner.invoke(args=[*args, "--password", "password123"])
    assert result.exit_code == 2 and "common" in result.output
    assert accounts.user_by_email(session, "ann@example.com") is None


def test_cli_set_password_applies_the_policy(runner, make_user, session):
    make_user("ann@example.com")
    args = ["users", "set-password", "--email", "ann@example.com", "--password"]
    assert runner.invoke(args=[*args, "1234567890"]).exit_code == 2
    result = runner.invoke(args=[*args, "a brand new passphrase"])
    assert result.exit_code == 0, result.output
    assert accounts.authenticate(session, "ann@example.com", "a brand new passphrase")


def test_changing_password_on_the_web(client, login, make_user, session):
    make_user("ann@example.com")
    login("ann@example.com")
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "12345678"}
    )
    assert response.status_code == 422 and "at least 10 characters" in response.get_data(True)
    response = client.post(
        "/account/password",
        data={"current_password": "not it at all", "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 422 and "not your current password" in response.get_data(True)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/personas/").status_code == 200  # this session goes on
    assert accounts.authenticate(session, "ann@example.com", "a brand new passphrase")
    assert accounts.authenticate(session, "ann@example.com", PASSWORD) is None


def test_service_change_password_refuses_weak_passwords(make_user, session):
    user = make_user("ann@example.com")
    with pytest.raises(ValidationError) as raised:
        accounts.change_password(session, user, current=PASSWORD, new="iloveyou123")
    assert "common" in raised.value.details["new_password"]


def _median_cpu_seconds(*calls, runs: int = 5) -> list[float]:
    """Each call's median CPU time, the calls taken in turn: hash work is what is compared,
    and a busy moment of a shared machine (the other database's pass runs beside this one)
    weighs on every call alike instead of on whichever ran then."""
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for spent, call in zip(times, calls, strict=True):
            start = time.process_time()
            call()
            spent.append(time.process_time() - start)
    return [statistics.median(spent) for spent in times]


def test_unknown_email_costs_the_same_hash_work_as_a_known_one(make_user, session):
    make_user("ann@example.com")
    accounts.authenticate(session, "nobody@example.com", "x")  # the dummy hash is made once
    known, unknown = _median_cpu_seconds(
        lambda: accounts.authenticate(session, "ann@example.com", "wrong"),
        lambda: accounts.authenticate(session, "nobody@example.com", "wrong"),
    )
    assert unknown > known * 0.5, (known, unknown)
