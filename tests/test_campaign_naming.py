"""Naming a member exactly: full names, folded, never a part."""

from campaign.naming import same_name, split_name


def test_a_full_name_matches_without_diacritics_or_capitals_but_a_part_does_not() -> None:
    assert same_name("nguyen thi  LAN", "Nguyễn Thị Lan")
    assert same_name("Nguyễn Thị Lan", "Nguyễn Thị Lan")
    assert not same_name("Lan", "Nguyễn Thị Lan")
    assert not same_name("Nguyễn Thị", "Nguyễn Thị Lan")
    assert not same_name("", "")


def test_the_longest_leading_name_is_taken_and_a_word_is_left_for_the_rest() -> None:
    names = {"tran minh", "tran minh duc"}

    def is_name(typed: str) -> bool:
        return typed.lower() in names

    assert split_name("Tran Minh Duc tot".split(), is_name) == 3
    assert split_name("Tran Minh tot".split(), is_name) == 2
    assert split_name("Tran Minh".split(), is_name) == 0  # no word left for the rating
    assert split_name("Minh tot".split(), is_name) == 0


def test_invite_requests_and_terms() -> None:
    from campaign.invites import InviteRequest, Terms, invite_terms, parse_request
    from campaign.roles import Role

    assert parse_request("van dong 20 lượt 7 ngày".split()) == InviteRequest("van dong", 20, 7)
    assert parse_request(["5²", "lượt"]) is None
    assert parse_request(["5"]) is None
    assert invite_terms(Role.MEMBER, by_admin=False, uses=None, days=None) == Terms(30, 7)
    assert invite_terms(Role.LEAD, by_admin=True, uses=None, days=None) == Terms(1, 7)
    assert invite_terms(Role.LEAD, by_admin=False, uses=1, days=1) == ("invite.admin_only_role", {})
    assert invite_terms(Role.OUTREACH, by_admin=True, uses=2, days=1) == ("invite.one_use", {})
