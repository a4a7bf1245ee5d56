"""A unit's standing against the campaign's targets, from counts (pure arithmetic).

Targets are judged on FINAL ratings only (a lead's or an admin's): a self-assessment is the
member's own view and never makes a target met. With no final rating yet a target is "not yet
rated". Otherwise it is "met" when it holds whatever the unrated members turn out to be, "not
met" when it fails even if they all come out well, and "unknown" in between: a lead sees early
that a target is already lost, or already safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from campaign.ratings import Rating

EXCELLENT_SHARE_LIMIT = 0.20
"""At most 20% of those rated good or better may be rated excellent (a rule to warn about)."""


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_RATED = "not_rated"
    """Nobody has a final rating yet (self-assessments do not count)."""


@dataclass(frozen=True)
class TargetRule:
    metric: str
    """ "done": at least done; "good": good or better; "excellent"."""
    percent: int

    @property
    def floor(self) -> Rating:
        return {"done": Rating.DONE, "good": Rating.GOOD, "excellent": Rating.EXCELLENT}[
            self.metric
        ]


DEFAULT_TARGETS = (TargetRule("done", 100), TargetRule("good", 95), TargetRule("excellent", 5))


@dataclass
class Tally:
    """What the standing of a group of people is computed from."""

    members: int
    pledged: int = 0
    progress_sum: float = 0.0
    progress_count: int = 0
    ratings: dict[Rating, int] = field(default_factory=dict)
    """Final ratings (by a lead or an admin): the only ones targets are judged on."""
    self_ratings: dict[Rating, int] = field(default_factory=dict)
    """Self-assessments, shown beside the final ratings, never counted as them."""

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def self_rated(self) -> int:
        return sum(self.self_ratings.values())

    @property
    def pledged_share(self) -> float | None:
        return self.pledged / self.members if self.members else None

    @property
    def progress_average(self) -> float | None:
        return self.progress_sum / self.progress_count if self.progress_count else None

    def at_least(self, floor: Rating) -> int:
        return sum(n for rating, n in self.ratings.items() if rating.at_least(floor))


@dataclass(frozen=True)
class TargetResult:
    rule: TargetRule
    share: float | None
    """Share of members whose final rating reaches the floor so far (over all members); None
    when there is no member or no final rating yet."""
    status: Status


def evaluate(tally: Tally, rule: TargetRule) -> TargetResult:
    if tally.members == 0:
        return TargetResult(rule, None, Status.UNKNOWN)
    if tally.rated == 0:
        return TargetResult(rule, None, Status.NOT_RATED)
    reached = tally.at_least(rule.floor)
    unrated = tally.members - tally.rated
    worst, best = reached / tally.members, (reached + unrated) / tally.members
    threshold = rule.percent / 100
    if worst >= threshold - 1e-9:
        status = Status.MET
    elif best < threshold - 1e-9:
        status = Status.NOT_MET
    else:
        status = Status.UNKNOWN
    return TargetResult(rule, worst, status)


def too_many_excellent(tally: Tally) -> bool:
    good_or_better = tally.at_least(Rating.GOOD)
    excellent = tally.ratings.get(Rating.EXCELLENT, 0)
    return good_or_better > 0 and excellent > EXCELLENT_SHARE_LIMIT * good_or_better


def rules_from(targets: list[tuple[int, str | None]]) -> tuple[TargetRule, ...]:
    """The measurable targets of a campaign (percent, metric); the defaults when it has none."""
    rules = [TargetRule(m, p) for p, m in targets if m in ("done", "good", "excellent")]
    return tuple(rules) or DEFAULT_TARGETS
