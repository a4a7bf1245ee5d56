"""The pure rules of joining two people into one (/taikhoan): roles, records, profile, codes."""

from datetime import UTC, datetime, timedelta

import pytest

from campaign.accounts import other_chat_apps
from campaign.invites import is_well_formed, new_code, normalize_code
from campaign.merge import Candidate, Profile, Side, joined_profile, last_touched, to_keep
from campaign.roles import stronger_role

T = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
LATER = T + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("first", "second", "stronger"),
    [
        ("member", "lead", "lead"),
        ("lead", "member", "lead"),
        ("outreach", "member", "outreach"),
        ("member", "outreach", "outreach"),
        ("member", "member", "member"),
    ],
)
def test_the_stronger_role_stays(first: str, second: str, stronger: str) -> None:
    assert stronger_role(first, second) == stronger


@pytest.mark.parametrize(
    ("issuer", "sender", "kept"),
    [
        (Candidate(at=T), Candidate(at=LATER), Side.SENDER),  # the newer pledge
        (Candidate(at=LATER), Candidate(at=T), Side.ISSUER),
        (Candidate(at=T), Candidate(at=T), Side.ISSUER),  # a tie keeps the issuer's
        (Candidate(at=None), Candidate(at=T), Side.SENDER),  # never touched loses
        (Candidate(at=T), Candidate(at=None), Side.ISSUER),
        (Candidate(at=None), Candidate(at=None), Side.ISSUER),
        # a final rating outweighs a newer self-assessment, whichever side has it
        (Candidate(at=T, settled=True), Candidate(at=LATER), Side.ISSUER),
        (Candidate(at=LATER), Candidate(at=T, settled=True), Side.SENDER),
        # both rated by a lead: the later rating
        (Candidate(at=T, settled=True), Candidate(at=LATER, settled=True), Side.SENDER),
    ],
)
def test_which_record_stays(issuer: Candidate, sender: Candidate, kept: Side) -> None:
    assert to_keep(issuer, sender) is kept


def test_sides_know_each_other() -> None:
    assert Side.ISSUER.other is Side.SENDER and Side.SENDER.other is Side.ISSUER


def test_last_touched_ignores_what_never_happened() -> None:
    assert last_touched(T, None, LATER) == LATER
    assert last_touched(None, T) == T
    assert last_touched(None, None) is None


def test_the_joined_profile_keeps_the_issuer_and_adds_up_rights() -> None:
    issuer = Profile(display_name="Nguyễn Thị Lan", language="vi", is_admin=False, nudges_off=True)
    sender = Profile(display_name="Lan", language="en", is_admin=True, nudges_off=False)
    assert joined_profile(issuer, sender) == Profile("Nguyễn Thị Lan", "vi", True, True)
    empty = Profile(display_name="", language=None, is_admin=False, nudges_off=False)
    assert joined_profile(empty, sender) == Profile("Lan", "en", True, False)
    assert joined_profile(sender, empty) == sender


def test_link_codes_are_recognised() -> None:
    assert is_well_formed(new_code())
    assert is_well_formed(normalize_code("abcd-2345"))
    assert not is_well_formed(normalize_code("ABCD234O"))  # no O: it reads like a zero
    assert not is_well_formed(normalize_code("ABCD234"))
    assert not is_well_formed(normalize_code("xin chào"))
    assert not is_well_formed("")


def test_the_other_chat_app() -> None:
    assert other_chat_apps("telegram") == ("zalo",)
    assert other_chat_apps("zalo") == ("telegram",)
    assert other_chat_apps("console") == ("telegram", "zalo")
