"""Titles, ratings, progress input and target evaluation (pure rules)."""

import pytest

from campaign.commitments import match
from campaign.progress import ProgressError, latest_values, overall, parse_progress
from campaign.ratings import Rating, parse_rating, split_rating
from campaign.standing import (
    DEFAULT_TARGETS,
    Status,
    Tally,
    TargetRule,
    evaluate,
    rules_from,
    too_many_excellent,
)
from campaign.titles import match_title


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("lao dong tien tien", "ldtt"),
        ("Lao động tiên tiến", "ldtt"),
        ("LĐTT", "ldtt"),
        ("l.đ.t.t", "ldtt"),
        ("cstđcs", "cstdcs"),
        ("Chiến sĩ thi đua cơ sở", "cstdcs"),
        ("chien si thi dua cap tinh", "cstd_tinh"),
        ("CSTĐ toàn quốc", "cstd_toanquoc"),
        ("lao dong tien tine", "ldtt"),  # a typo on a phone
    ],
)
def test_titles_are_matched_leniently(typed: str, code: str) -> None:
    title = match_title(typed)
    assert title is not None and title.code == code


@pytest.mark.parametrize("typed", ["", "giám đốc", "bằng khen", "xyz"])
def test_unknown_titles(typed: str) -> None:
    assert match_title(typed) is None


def test_ratings_in_every_spelling() -> None:
    assert parse_rating("Hoàn thành xuất sắc nhiệm vụ") == Rating.EXCELLENT
    assert parse_rating("htxsnv") == Rating.EXCELLENT
    assert parse_rating("tốt") == Rating.GOOD
    assert parse_rating("hoan thanh") == Rating.DONE
    assert parse_rating("không hoàn thành") == Rating.FAILED
    assert parse_rating("good") == Rating.GOOD
    assert parse_rating("giỏi") is None
    assert split_rating("hoàn thành tốt vượt 3 chỉ tiêu") == (Rating.GOOD, "vượt 3 chỉ tiêu")
    assert split_rating("không hoàn thành do ốm") == (Rating.FAILED, "do ốm")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("70", (70, None, "")),
        ("70%", (70, None, "")),
        ("70 xong dự thảo báo cáo", (70, None, "xong dự thảo báo cáo")),
        ("2 80", (80, 2, "")),
        ("2 80% đã nộp", (80, 2, "đã nộp")),
        ("0", (0, None, "")),
        ("100", (100, None, "")),
    ],
)
def test_progress_input(typed: str, expected: tuple) -> None:
    given = parse_progress(typed)
    assert (given.percent, given.commitment, given.note) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("150", "progress.out_of_range"),
        ("-5", "progress.out_of_range"),
        ("70.5", "progress.out_of_range"),
        ("abc", "progress.not_number"),
        ("", "progress.missing"),
        ("0 50", "progress.no_commitment"),
        ("2 150", "progress.out_of_range"),
    ],
)
def test_bad_progress(typed: str, key: str) -> None:
    with pytest.raises(ProgressError) as raised:
        parse_progress(typed)
    assert raised.value.key == key


def test_overall_progress_is_the_mean_of_the_latest_values() -> None:
    """The issue's sequence: "/tiendo 60" (every commitment at 60), then "/tiendo 3 100" three
    times gave 73% → 82% → 88%; it must stay 73%, however often it is repeated."""
    commitments = ["a", "b", "c"]
    updates = [("a", 60), ("b", 60), ("c", 60)]
    figures = []
    for _ in range(3):
        updates.append(("c", 100))
        figures.append(overall(commitments, latest_values(updates)))
    assert figures == [73, 73, 73]
    assert overall(commitments, latest_values([("b", 80)])) == 27  # never updated counts 0
    assert overall(["b", "a"], latest_values([("a", 10), ("b", 80)])) == 45  # any order
    assert overall(["x"], latest_values([("a", 100)])) == 0  # a dropped one does not count
    assert overall(commitments, {}) is None
    assert overall([], latest_values([(None, 30), (None, 40)])) == 40  # no commitments


def test_re_registered_commitments_are_matched_by_their_text() -> None:
    same = match(["Hồ sơ đúng hạn", "Sáng kiến"], ["sang kien.", "  Hồ  sơ đúng hạn"])
    assert (same.kept, same.added, same.dropped, same.changed) == ({0: 1, 1: 0}, (), (), False)
    edited = match(["a", "b", "c"], ["b", "a mới", "c", "c"])
    assert (edited.kept, edited.added, edited.dropped) == ({0: 1, 2: 2}, (1, 3), (0,))
    assert edited.changed


def _tally(members: int, **ratings: int) -> Tally:
    return Tally(members=members, ratings={Rating(k): v for k, v in ratings.items()})


def test_targets_met_not_met_or_not_yet_known() -> None:
    done, good, excellent = DEFAULT_TARGETS
    everyone = _tally(20, excellent=2, good=17, done=1)
    assert [evaluate(everyone, r).status for r in DEFAULT_TARGETS] == [
        Status.MET,
        Status.MET,  # 19/20 = 95%
        Status.MET,  # 2/20 = 10%
    ]
    half_rated = _tally(20, good=10)
    assert evaluate(half_rated, done).status == Status.UNKNOWN
    assert evaluate(half_rated, excellent).status == Status.UNKNOWN
    lost = _tally(20, good=8, done=2)  # two below "good" already: 95% is out of reach
    assert evaluate(lost, good).status == Status.NOT_MET
    assert evaluate(_tally(20, failed=1), done).status == Status.NOT_MET
    assert evaluate(_tally(20, excellent=1), excellent).status == Status.MET
    assert evaluate(Tally(members=0), done).status == Status.UNKNOWN
    assert evaluate(everyone, good).share == pytest.approx(0.95)


def test_the_20_percent_rule_on_excellent() -> None:
    assert not too_many_excellent(_tally(10, excellent=2, good=8))
    assert too_many_excellent(_tally(10, excellent=3, good=7))
    assert not too_many_excellent(_tally(10))


def test_rules_come_from_the_campaign_or_the_defaults() -> None:
    assert rules_from([(100, "key_tasks"), (100, "done"), (90, "good"), (10, "excellent")]) == (
        TargetRule("done", 100),
        TargetRule("good", 90),
        TargetRule("excellent", 10),
    )
    assert rules_from([]) == DEFAULT_TARGETS


def test_targets_are_judged_on_final_ratings_only() -> None:
    done, good, excellent = DEFAULT_TARGETS
    only_self = Tally(members=2, self_ratings={Rating.EXCELLENT: 2})
    assert [evaluate(only_self, r).status for r in DEFAULT_TARGETS] == [Status.NOT_RATED] * 3
    assert evaluate(only_self, done).share is None
    assert not too_many_excellent(only_self)  # the 20% rule looks at final ratings too
    one_final = Tally(members=2, ratings={Rating.GOOD: 1}, self_ratings={Rating.EXCELLENT: 2})
    assert evaluate(one_final, excellent).status == Status.UNKNOWN
    assert evaluate(one_final, good).share == pytest.approx(0.5)
