"""Amounts in VND as people type them (campaign/money.py), and as the bot shows them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.money import MAX_VND, MIN_VND, MoneyError, format_vnd, read_amount, read_gift

TYPED = {
    "500k": 500_000,
    "500K": 500_000,
    "500 k": 500_000,
    "500 nghìn": 500_000,
    "500 nghin": 500_000,
    "500 ngàn": 500_000,
    "500 ngàn đồng": 500_000,
    "1tr2": 1_200_000,
    "1tr25": 1_250_000,
    "1tr250": 1_250_000,
    "1 tr 2": 1_200_000,
    "1tr": 1_000_000,
    "1 triệu": 1_000_000,
    "1,5tr": 1_500_000,
    "1.5tr": 1_500_000,
    "2,75 triệu": 2_750_000,
    "2 triệu": 2_000_000,
    "2 Triệu Đồng": 2_000_000,
    "1 triệu 200 nghìn": 1_200_000,
    "1 triệu 200": 1_200_000,
    "5k5": 5_500,
    "1 tỷ 2": 1_200_000_000,
    "10 tỷ": 10_000_000_000,
    "2 củ": 2_000_000,
    "1.200.000": 1_200_000,
    "1,200,000": 1_200_000,
    "1 200 000": 1_200_000,
    "1200000": 1_200_000,
    "200.000đ": 200_000,
    "200.000 đ": 200_000,
    "200.000 VNĐ": 200_000,
    "200000 vnd": 200_000,
    "VND 500,000": 500_000,
    "1.200.000 đ": 1_200_000,
    "1,200,000 VND": 1_200_000,
    "1.500k": 1_500_000,
    "+300k": 300_000,
    "  300K ": 300_000,
    "1.000": 1_000,
}


@pytest.mark.parametrize(("typed", "amount"), TYPED.items())
def test_amounts_are_read_as_people_type_them(typed: str, amount: int) -> None:
    assert read_amount(typed) == amount


REFUSED = {
    "-500k": "negative",
    "- 500k": "negative",
    "−2tr": "negative",
    "0": "zero",
    "0đ": "zero",
    "0k": "zero",
    "500": "too_small",
    "999 đ": "too_small",
    "11 tỷ": "too_large",
    "10.000.000.001": "too_large",
    "99999999999999999999999999999": "too_large",
    "1e9": "unreadable",
    "abc": "unreadable",
    "": "unreadable",
    "k": "unreadable",
    "1,2345k": "unreadable",
    "1.20.000": "unreadable",
    "1.200,000": "unreadable",
    "1tr2tr": "unreadable",
    "2 nghìn 1 triệu": "unreadable",
    "1tr2345": "unreadable",
    "500k500k": "unreadable",
    "5" * 60: "unreadable",
    "½ triệu": "unreadable",
    "١٢٣": "unreadable",
}


@pytest.mark.parametrize(("typed", "reason"), REFUSED.items())
def test_bad_amounts_say_why(typed: str, reason: str) -> None:
    with pytest.raises(MoneyError) as refused:
        read_amount(typed)
    assert refused.value.reason == reason


def test_gifts_in_kind_are_text_but_nonsense_is_refused() -> None:
    assert read_gift("10 kg gạo") == "10 kg gạo"
    assert read_gift("2  thùng mì") == "2 thùng mì"
    assert read_gift("10kg gạo") == "10kg gạo"
    assert read_gift("500k") == 500_000
    for typed in ("abc", "1e9", "-5 thùng mì", "gạo", "1e9 k"):
        with pytest.raises(MoneyError):
            read_gift(typed)
    with pytest.raises(MoneyError) as negative:
        read_gift("-500k")
    assert negative.value.reason == "negative"


def test_amounts_are_shown_in_each_language() -> None:
    assert format_vnd(1_200_000, "vi") == "1.200.000 đ"
    assert format_vnd(1_200_000, "en") == "1,200,000 VND"
    assert format_vnd(MAX_VND, "vi") == "10.000.000.000 đ"
    assert format_vnd(MIN_VND, "en") == "1,000 VND"


@given(st.integers(MIN_VND, MAX_VND), st.sampled_from(["vi", "en"]))
def test_what_is_shown_reads_back(amount: int, language: str) -> None:
    assert read_amount(format_vnd(amount, language)) == amount


@given(st.integers(1, MAX_VND // 1000))
def test_thousands_in_k_read_back(thousands: int) -> None:
    amount = thousands * 1000
    assert read_amount(f"{thousands}k") == amount
    assert read_amount(str(amount)) == amount


@given(st.integers(1, 9999), st.integers(0, 999))
def test_millions_with_hundreds_read_back(millions: int, thousands: int) -> None:
    amount = millions * 1_000_000 + thousands * 1000
    if amount > MAX_VND:
        return
    assert (
        read_amount(f"{millions} triệu {thousands} nghìn" if thousands else f"{millions}tr")
        == amount
    )


@given(st.text(max_size=30))
def test_any_text_is_an_amount_a_gift_or_a_reason(text: str) -> None:
    try:
        gift = read_gift(text)
    except MoneyError as refused:
        assert refused.reason in {"unreadable", "negative", "zero", "too_small", "too_large"}
        return
    assert isinstance(gift, str) or MIN_VND <= gift <= MAX_VND
