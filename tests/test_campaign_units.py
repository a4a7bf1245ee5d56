from datetime import UTC, datetime, timedelta

import pytest

from campaign.accounts import parse_account_ref
from campaign.invites import ALPHABET, invite_problem, new_code, normalize_code
from campaign.roles import Role, can_grant, parse_unit_role
from campaign.units import UnitKind, guess_kind, is_valid_code, parse_kind, parse_units_csv


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Công đoàn cơ sở Sở GTVT", UnitKind.UNION),
        ("CĐCS Sở GTVT", UnitKind.UNION),
        ("Chi đoàn Sở GTVT", UnitKind.YOUTH),
        ("Đoàn Thanh niên", UnitKind.YOUTH),
        ("Lãnh đạo Sở", UnitKind.LEADERSHIP),
        ("Phòng Kế hoạch - Tài chính", UnitKind.DEPARTMENT),
        ("Văn phòng Ban ATGT", UnitKind.DEPARTMENT),
    ],
)
def test_kind_is_guessed_from_the_name(name: str, kind: UnitKind) -> None:
    assert guess_kind(name) == kind


def test_kind_words_in_both_languages() -> None:
    assert parse_kind("union") == UnitKind.UNION
    assert parse_kind("Công đoàn") == UnitKind.UNION
    assert parse_kind("doan thanh nien") == UnitKind.YOUTH
    assert parse_kind("bogus") is None


def test_unit_codes() -> None:
    assert is_valid_code("kt")
    assert is_valid_code("CDCS-GTVT")
    assert not is_valid_code("Kế toán")
    assert not is_valid_code("")
    assert not is_valid_code("A" * 33)


def test_csv_rows_are_read_with_guessed_kinds_and_a_bom() -> None:
    rows, errors = parse_units_csv(
        "\ufeffcode,name,kind\nKT,Phòng Kế toán,department\ncdcs,Công đoàn cơ sở,\n"
    )
    assert errors == []
    assert [(r.code, r.kind) for r in rows] == [
        ("KT", UnitKind.DEPARTMENT),
        ("CDCS", UnitKind.UNION),
    ]


def test_csv_missing_column_stops_at_the_header() -> None:
    rows, errors = parse_units_csv("code,name\nKT,Kế toán\n")
    assert rows == []
    assert [(e.line, e.key, e.values) for e in errors] == [
        (1, "csv.missing_column", {"column": "kind"})
    ]


def test_csv_errors_name_their_lines() -> None:
    text = (
        "code,name,kind\nKT,Kế toán,department\nkt,Kế toán 2,department\n"
        "X Y,Tên,\nVP,,\nTC,Tài chính,planet\n"
    )
    _, errors = parse_units_csv(text)
    assert [(e.line, e.key) for e in errors] == [
        (3, "csv.duplicate"),
        (4, "csv.bad_code"),
        (5, "csv.missing_value"),
        (6, "csv.bad_kind"),
    ]
    assert errors[0].values == {"code": "KT", "first": "2"}


def test_empty_csv() -> None:
    assert [e.key for e in parse_units_csv("\n\n")[1]] == ["csv.empty"]


def test_roles_typed_in_either_language() -> None:
    assert parse_unit_role("trưởng") == Role.LEAD
    assert parse_unit_role("lead") == Role.LEAD
    assert parse_unit_role("Vận động") == Role.OUTREACH
    assert parse_unit_role("thanh vien") == Role.MEMBER
    assert parse_unit_role("admin") is None  # admin is never handed out by an invite


def test_only_leads_grant_and_never_above_themselves() -> None:
    assert can_grant(Role.LEAD, Role.MEMBER)
    assert can_grant(Role.LEAD, Role.LEAD)
    assert not can_grant(Role.OUTREACH, Role.MEMBER)
    assert not can_grant(Role.ADMIN, Role.ADMIN)
    assert can_grant(Role.ADMIN, Role.OUTREACH)


def test_invite_codes_are_unambiguous_and_typed_leniently() -> None:
    code = new_code()
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert normalize_code(" abcd-efgh ") == "ABCDEFGH"


def test_invite_problems() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    later = now + timedelta(days=1)
    assert invite_problem(expires_at=later, uses_left=1, now=now) is None
    assert invite_problem(expires_at=now, uses_left=1, now=now) == "expired"
    assert invite_problem(expires_at=later, uses_left=0, now=now) == "used_up"


def test_account_references() -> None:
    assert parse_account_ref("Telegram:123") == ("telegram", "123")
    assert parse_account_ref("zalo: abc ") == ("zalo", "abc")
    assert parse_account_ref("telegram") is None
    assert parse_account_ref("facebook:1") is None
    assert parse_account_ref("console:") is None
