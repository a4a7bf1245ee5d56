"""Union and youth activities as staff type them: the kind guessed from the name, the places,
and the forgiving one-line form of `/hoatdong them`.

The one-line form is fields separated by ";". The first is the name; each other field is
known by its first words where it has them ("hạn …" the sign-up deadline, "@KT"/"tất cả" the
audience, "loại …" the kind, "50 chỗ"/"không giới hạn" the places, "lúc …", "tại …"); the
fields without a mark fill, in order, the time, the place and the places. So both
"Hiến máu; 7h 20/12; Hội trường; 50" and "Hiến máu; tại Hội trường; 7h 20/12; hạn 17h
18/12; @KT @VP" read. Times stay phrases here: campaign/timephrase reads them against now.
Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from campaign.text import fold

KINDS = (
    "hien_mau",
    "tinh_nguyen",
    "trong_cay",
    "the_thao",
    "van_nghe",
    "quyen_gop",
    "hoc_tap",
    "khac",
)
"""Every kind, in the order lists show them; "khac" (other) when nothing says."""

_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("hien mau", "hien_mau"),
    ("giot mau", "hien_mau"),
    ("blood", "hien_mau"),
    ("trong cay", "trong_cay"),
    ("tet trong cay", "trong_cay"),
    ("cay xanh", "trong_cay"),
    ("tree", "trong_cay"),
    ("quyen gop", "quyen_gop"),
    ("ung ho", "quyen_gop"),
    ("tu thien", "quyen_gop"),
    ("nhan dao", "quyen_gop"),
    ("charity", "quyen_gop"),
    ("donation", "quyen_gop"),
    ("tinh nguyen", "tinh_nguyen"),
    ("thien nguyen", "tinh_nguyen"),
    ("don ve sinh", "tinh_nguyen"),
    ("mua he xanh", "tinh_nguyen"),
    ("volunteer", "tinh_nguyen"),
    ("the thao", "the_thao"),
    ("hoi thao", "the_thao"),
    ("bong da", "the_thao"),
    ("bong chuyen", "the_thao"),
    ("cau long", "the_thao"),
    ("bong ban", "the_thao"),
    ("tennis", "the_thao"),
    ("chay bo", "the_thao"),
    ("viet da", "the_thao"),
    ("giai chay", "the_thao"),
    ("sport", "the_thao"),
    ("van nghe", "van_nghe"),
    ("hoi dien", "van_nghe"),
    ("hat", "van_nghe"),
    ("mua", "van_nghe"),
    ("concert", "van_nghe"),
    ("hoc tap", "hoc_tap"),
    ("tap huan", "hoc_tap"),
    ("boi duong", "hoc_tap"),
    ("chuyen de", "hoc_tap"),
    ("hoi thi", "hoc_tap"),
    ("toa dam", "hoc_tap"),
    ("nghi quyet", "hoc_tap"),
    ("training", "hoc_tap"),
)
"""Words of a name and the kind they tell, strongest first: "Hiến máu nhân đạo" is a blood
drive, not a collection, because "hien mau" comes before "nhan dao"."""

_KIND_NAMES = {
    **{code: code for code in KINDS},
    **{code.replace("_", " "): code for code in KINDS},
    "khac": "khac",
    "other": "khac",
    "blood": "hien_mau",
    "volunteer": "tinh_nguyen",
    "trees": "trong_cay",
    "sports": "the_thao",
    "arts": "van_nghe",
    "collection": "quyen_gop",
    "study": "hoc_tap",
}

MAX_NAME = 200
MAX_PLACE = 200
MAX_CAPACITY = 100_000
ALL_WORDS = frozenset({"tat ca", "tatca", "all", "everyone", "toan co quan", "moi nguoi"})
_DEADLINE_MARKS = ("han dang ky", "han dang ki", "han dk", "han", "deadline", "dang ky truoc",
                   "sign up by", "until")  # fmt: skip
_AUDIENCE_MARKS = ("danh cho", "doi tuong", "don vi", "for", "units")
_KIND_MARKS = ("loai", "kind", "type")
_PLACES_MARKS = ("so cho", "so luong", "places", "capacity", "toi da")
_WHEN_MARKS = ("thoi gian", "vao luc", "luc", "when", "at time")
_PLACE_MARKS = ("dia diem", "tai", "place", "where")
_UNLIMITED = frozenset({"khong gioi han", "ko gioi han", "unlimited", "no limit", "tu do"})
_PLACES = re.compile(r"^(\d[\d.]*)\s*(cho|nguoi|suat|places|people|slots|seats)?$")
_CODE = re.compile(r"^@?[a-z0-9_-]{1,16}$")


def guess_kind(name: str) -> str:
    """The kind a name tells by its words ("Hiến máu nhân đạo" → hien_mau), else "khac"."""
    words = f" {fold(name)} "
    words = re.sub(r"[^a-z0-9]+", " ", words)
    for phrase, kind in _KIND_WORDS:
        if f" {phrase} " in words:
            return kind
    return "khac"


def read_kind(text: str) -> str | None:
    """A kind typed by its code or its name, with or without diacritics ("thể thao")."""
    folded = " ".join(fold(text).replace("_", " ").split())
    return _KIND_NAMES.get(folded) or _KIND_NAMES.get(folded.replace(" ", "_"))


class ActivityInputError(ValueError):
    """A field cannot be used; `key` names the message and `value` is what was typed."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.value = value


def read_places(text: str) -> int | None:
    """ "50", "50 chỗ", "1.000 người" → the number; "không giới hạn" → None (no limit).
    0, a negative number or words are refused: a place count must be a count."""
    folded = " ".join(fold(text).split())
    if folded in _UNLIMITED:
        return None
    match = _PLACES.match(folded)
    if match is None:
        raise ActivityInputError("activity.bad_places", text)
    digits = match.group(1).replace(".", "")
    if not digits.isdigit() or len(digits) > 7:
        raise ActivityInputError("activity.bad_places", text)
    number = int(digits)
    if not 1 <= number <= MAX_CAPACITY:
        raise ActivityInputError("activity.bad_places", text)
    return number


@dataclass
class ActivityLine:
    """What `/hoatdong them …` said, its times still phrases."""

    name: str
    when: str | None = None
    place: str | None = None
    capacity: int | None = None
    deadline: str | None = None
    """The sign-up deadline's phrase; None: sign-ups close at the start."""
    audience: list[str] = field(default_factory=list)
    """Unit codes, upper case; empty: the creator's own units (an admin's: everyone)."""
    everyone: bool = False
    kind: str | None = None
    """Given by the creator; None: guessed from the name."""


def _strip_mark(words: list[str], marks: tuple[str, ...]) -> list[str] | None:
    """The words after a leading mark ("hạn đăng ký 17h" → ["17h"]), or None without one."""
    folded = [fold(w).rstrip(":") for w in words]
    for mark in marks:
        size = len(mark.split())
        if folded[:size] == mark.split():
            rest = words[size:]
            if rest and rest[0] == ":":
                rest = rest[1:]
            return rest
    return None


def _audience(words: list[str]) -> tuple[list[str], bool] | None:
    """ "@KT @VP", "KT, VP", "tất cả" → the codes (or everyone); None when it is no audience."""
    text = " ".join(words)
    folded = " ".join(fold(text).replace(",", " ").split())
    if folded.lstrip("@") in ALL_WORDS:
        return [], True
    tokens = folded.split()
    if not tokens or not all(_CODE.match(t) for t in tokens):
        return None
    return [t.lstrip("@").upper() for t in tokens], False


def parse_line(text: str) -> ActivityLine:
    """The fields of the one-line form (see the module's docstring). Raises
    ActivityInputError for a missing name, a bad place count, an unknown kind, or fields left
    over."""
    fields = [" ".join(part.split()) for part in text.split(";")]
    name = fields[0] if fields else ""
    if not name:
        raise ActivityInputError("activity.no_name")
    if len(name) > MAX_NAME:
        raise ActivityInputError("activity.name_too_long", str(MAX_NAME))
    line = ActivityLine(name=name)
    loose: list[str] = []
    for raw in fields[1:]:
        if not raw:
            continue
        words = raw.split()
        if (rest := _strip_mark(words, _DEADLINE_MARKS)) is not None and rest:
            line.deadline = " ".join(rest)
        elif raw.startswith("@") or fold(raw) in ALL_WORDS:
            found = _audience(words)
            if found is None:
                raise ActivityInputError("activity.bad_audience", raw)
            line.audience += found[0]
            line.everyone = line.everyone or found[1]
        elif (rest := _strip_mark(words, _KIND_MARKS)) is not None and rest:
            kind = read_kind(" ".join(rest))
            if kind is None:
                raise ActivityInputError("activity.bad_kind", " ".join(rest))
            line.kind = kind
        elif (rest := _strip_mark(words, _PLACES_MARKS)) is not None and rest:
            line.capacity = read_places(" ".join(rest))
        elif (rest := _strip_mark(words, _AUDIENCE_MARKS)) is not None and rest:
            found = _audience(rest)
            if found is None:
                raise ActivityInputError("activity.bad_audience", raw)
            line.audience += found[0]
            line.everyone = line.everyone or found[1]
        elif (rest := _strip_mark(words, _WHEN_MARKS)) is not None and rest and line.when is None:
            line.when = " ".join(rest)
        elif (rest := _strip_mark(words, _PLACE_MARKS)) is not None and rest and not line.place:
            line.place = " ".join(rest)
        else:
            loose.append(raw)
    _fill(line, loose)
    return line


def _fill(line: ActivityLine, loose: list[str]) -> None:
    """Unmarked fields in order: the time, the place, the places; a place count typed as a
    number where the place would be ("…; 7h 20/12; 50") is the places."""
    for raw in loose:
        if line.when is None:
            line.when = raw
        elif line.place is None and not _looks_like_places(raw):
            line.place = raw
        elif line.capacity is None:
            line.capacity = read_places(raw)
        else:
            raise ActivityInputError("activity.extra_field", raw)
    if line.place is not None and len(line.place) > MAX_PLACE:
        raise ActivityInputError("activity.place_too_long", str(MAX_PLACE))


def _looks_like_places(text: str) -> bool:
    folded = " ".join(fold(text).split())
    return folded in _UNLIMITED or _PLACES.match(folded) is not None


def split_number(text: str) -> tuple[int | None, str]:
    """ "12 @lan, Mai" → (12, "@lan, Mai"); "#12" reads too; no number: (None, text)."""
    head, _, rest = text.strip().partition(" ")
    head = head.lstrip("#").rstrip(".,:")
    if head.isdigit() and len(head) <= 9:
        return int(head), rest.strip()
    return None, text.strip()


def split_names(text: str) -> list[str]:
    """ "@lan, Nguyễn Mai; @tu" → ["@lan", "Nguyễn Mai", "@tu"]: commas and semicolons part
    names; several @handles may also be parted by spaces."""
    names: list[str] = []
    for part in re.split(r"[,;]", text):
        words = part.split()
        if not words:
            continue
        if all(w.startswith("@") for w in words):
            names += words
        else:
            names.append(" ".join(words))
    return names


def places_left(capacity: int | None, confirmed: int) -> int | None:
    """Free places (never below 0); None without a limit."""
    return None if capacity is None else max(0, capacity - confirmed)
