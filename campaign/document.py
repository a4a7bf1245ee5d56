"""The launch document of a campaign ("phát động thi đua"), parsed into a model.

Real documents come from Word or PDF exports: sentences broken across paragraphs, "hoá" and
"hóa" side by side, dates with typos ("28/8/1945-128/8/2025"). The parser reads structure
from the markers civil servants use everywhere (I., II. → 1., 2. → "-" bullets), and takes
numbers (targets, anniversaries, dates) from the text itself, checking them against each other
rather than trusting any one of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from campaign.text import fold

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}

_ROMAN_HEADING = re.compile(r"^(X|IX|VIII|VII|VI|V|IV|III|II|I)[.)]\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
_BULLET = re.compile(r"^[-–•+*]\s*(\S.*)$")
_SENTENCE_END = re.compile(r"[.;:!?…”\"»)]$")

PREAMBLE = "preamble"
RECIPIENTS = "recipients"
SIGNATURE = "signature"
APPENDIX = "appendix"


class DocumentError(ValueError):
    """The text is not a launch document we can read; `key` names the message for the user."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Clause:
    """One paragraph or bullet of the document, with the section it belongs to."""

    section: str
    """"II.1", "III", or one of PREAMBLE, RECIPIENTS, SIGNATURE, "appendix.2"."""
    text: str


@dataclass
class Section:
    number: str
    """"II" for a part, "II.1" for an item of a part."""
    title: str
    clauses: list[Clause] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """A figure of section II: `percent` of `metric` ("done", "good", "excellent", "key_tasks")."""

    percent: int
    metric: str | None
    phrase: str
    section: str


@dataclass(frozen=True)
class Commemoration:
    """A day the campaign dedicates achievements to, as the document names it."""

    name: str
    """The document's words, e.g. "Ngày sinh đồng chí Lương Văn Tri"."""
    anniversary: int
    """The number the document gives for the campaign year (115)."""
    first_year: int
    day: int | None
    month: int | None
    """Day and month when the document gives them; None for "194 năm ngày thành lập tỉnh"."""
    phrase: str
    """The segment of the document it was read from, verbatim."""
    section: str


@dataclass
class Campaign:
    title: str
    year: int
    issuer: str
    signer: str
    signer_title: str
    period_start: date | None
    period_end: date | None
    period_clause: Clause | None
    theme: str | None
    sections: list[Section]
    preamble: list[Clause]
    recipients: list[str]
    appendix: list[Clause]
    targets: list[Target]
    commemorations: list[Commemoration]
    signature: Clause | None = None

    @property
    def clauses(self) -> list[Clause]:
        """Every clause in document order: what questions are answered from."""
        result = list(self.preamble)
        for section in self.sections:
            result.extend(section.clauses)
        if self.recipients:
            result.append(Clause(RECIPIENTS, "; ".join(self.recipients)))
        if self.signature is not None:
            result.append(self.signature)
        result.extend(self.appendix)
        return result

    def section(self, number: str) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def part_about(self, *folded_words: str, default: str) -> str:
        """The number of the part whose title speaks of one of `folded_words` ("chi tieu")."""
        for section in self.sections:
            if "." not in section.number and any(w in fold(section.title) for w in folded_words):
                return section.number
        return default

    @property
    def targets_part(self) -> str:
        return self.part_about("chi tieu", "muc tieu", default="II")

    @property
    def organisation_part(self) -> str:
        return self.part_about("to chuc thuc hien", "trach nhiem", default="III")

    def part_title(self, number: str) -> str:
        """Title of the part a section number belongs to ("II.1" → "CHỈ TIÊU PHẤN ĐẤU THI ĐUA")."""
        part = self.section(number.split(".")[0])
        return part.title if part else ""


def normalize(text: str) -> str:
    """NFC, one kind of line break and of space, no trailing blanks."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", " ")
    return "\n".join(line.strip() for line in text.split("\n"))


def paragraphs(text: str) -> list[str]:
    """Paragraphs of the document, with sentences broken across lines or paragraphs joined.

    A paragraph that starts in lower case continues the one before (Word and PDF exports break
    "phấn" / "đầu lập thành tích"). Inside a block of lines (a PDF page has no blank lines), a
    line that fills the width and has no closing punctuation runs on into the next one; a short
    line ends its paragraph. Markdown emphasis (*…*) is dropped.
    """
    result: list[str] = []
    for block in re.split(r"\n\s*\n", normalize(text)):
        lines = [re.sub(r"\*+([^*]+)\*+", r"\1", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        full = _full_width(lines)
        for position, line in enumerate(lines):
            runs_on = position > 0 and _runs_on(lines[position - 1], line, full)
            if result and (_starts_lower(line) or (runs_on and not _is_marker(line))):
                result[-1] = f"{result[-1]} {line}"
            else:
                result.append(line)
    return result


def _is_marker(line: str) -> bool:
    return bool(_ROMAN_HEADING.match(line) or _NUMBERED.match(line) or _BULLET.match(line))


def _starts_lower(line: str) -> bool:
    return line[0].islower() and not _is_marker(line)


def _full_width(lines: list[str]) -> int:
    """The length of a full line in this block (wrapped text), 0 when lines are not wrapped."""
    if len(lines) < 3:
        return 0
    lengths = sorted(len(line) for line in lines)
    return lengths[int(len(lengths) * 0.8)]


def _runs_on(previous: str, line: str, full: int) -> bool:
    """Whether `previous` was wrapped: the first word of `line` would not have fitted on it.

    A paragraph's last line has room to spare; a wrapped line does not. Widths are counted
    in characters, so a little slack is allowed for proportional fonts.
    """
    first_word = line.split(" ", 1)[0]
    return (
        full > 0
        and len(previous) + 1 + len(first_word) > 0.92 * full
        and not _SENTENCE_END.search(previous)
        and not previous.isupper()
    )


def parse(text: str, *, year: int | None = None) -> Campaign:
    """Read a launch document. Raises DocumentError("document.empty" / "document.no_sections")."""
    paras = paragraphs(text)
    if not paras:
        raise DocumentError("document.empty")

    preamble: list[str] = []
    sections: list[Section] = []
    recipients: list[str] = []
    closing: list[str] = []
    part: Section | None = None
    item: Section | None = None
    state = "preamble"

    for para in paras:
        folded = fold(para)
        if state in ("preamble", "body") and folded.startswith("noi nhan"):
            state = "recipients"
            rest = para.split(":", 1)[1].strip() if ":" in para else ""
            if rest:
                recipients.append(rest.rstrip(";.,"))
            continue
        if state == "recipients":
            bullet = _BULLET.match(para)
            if bullet:
                recipients.append(bullet.group(1).rstrip(";.,").strip())
                continue
            state = "closing"
        if state == "closing":
            closing.append(para)
            continue

        heading = _ROMAN_HEADING.match(para)
        if heading:
            state = "body"
            part = Section(heading.group(1), heading.group(2).strip().rstrip(":"))
            sections.append(part)
            item = None
            continue
        if state == "preamble":
            preamble.append(para)
            continue
        assert part is not None
        numbered = _NUMBERED.match(para)
        if numbered:
            number = f"{part.number}.{numbered.group(1)}"
            body = numbered.group(2).strip()
            title, _, rest = body.partition(":")
            is_title = len(body) <= 120 and not _SENTENCE_END.search(body)
            item = Section(number, body if is_title else _short_title(title if rest else body))
            sections.append(item)
            if not is_title:
                item.clauses.append(Clause(number, body))
            continue
        bullet = _BULLET.match(para)
        target = item or part
        target.clauses.append(Clause(target.number, bullet.group(1) if bullet else para))

    if not sections:
        raise DocumentError("document.no_sections")

    signer_title, signer, appendix = _signature_and_appendix(closing)
    title = _title(preamble)
    body_text = "\n".join(paras)
    campaign_year = year or _year(title) or _year(body_text)
    if campaign_year is None:
        raise DocumentError("document.no_year")
    period_clause = _period_clause(sections)
    period_start, period_end = _period(period_clause.text if period_clause else "", campaign_year)
    clauses_preamble = [
        Clause(PREAMBLE, p) for p in preamble if not _is_letterhead(p) and p != title
    ]
    signature = Clause(SIGNATURE, f"{signer_title} {signer}".strip()) if signer else None
    campaign = Campaign(
        title=title,
        year=campaign_year,
        issuer=_issuer(preamble, signer_title),
        signer=signer,
        signer_title=signer_title,
        period_start=period_start,
        period_end=period_end,
        period_clause=period_clause,
        theme=_theme(body_text),
        sections=sections,
        preamble=clauses_preamble,
        recipients=recipients,
        appendix=appendix,
        targets=[],
        commemorations=[],
        signature=signature,
    )
    campaign.targets = _targets(campaign)
    campaign.commemorations = _commemorations(campaign)
    return campaign


def _short_title(text: str) -> str:
    words = text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


_LETTERHEAD = re.compile(
    r"^(số\s*:|phát động$|cộng hòa|cộng hoà|độc lập|ủy ban|uỷ ban|ubnd|sở\s|[\w\s]+,\s*ngày)",
    re.IGNORECASE,
)


def _is_letterhead(para: str) -> bool:
    return bool(_LETTERHEAD.match(para)) or (para.isupper() and len(para) < 60)


def _title(preamble: list[str]) -> str:
    """The line after "PHÁT ĐỘNG", else the first line that is not letterhead."""
    for index, para in enumerate(preamble):
        if fold(para) == "phat dong" and index + 1 < len(preamble):
            return preamble[index + 1]
    for para in preamble:
        if not _is_letterhead(para) and len(para) < 200:
            return para
    return preamble[0] if preamble else ""


def _year(text: str) -> int | None:
    found = re.findall(r"năm\s+(20\d\d)\b", text)
    return int(found[0]) if found else None


def _issuer(preamble: list[str], signer_title: str) -> str:
    for para in preamble:
        match = re.search(r"(?:Giám đốc|Chủ tịch|Thủ trưởng|Trưởng)\s+(.+?)\s+phát động", para)
        if match:
            return match.group(1).strip()
    return signer_title.title()


_THEME = re.compile(r"chủ đề\s*[“\"]([^”\"]+)[”\"]", re.IGNORECASE)


def _theme(text: str) -> str | None:
    match = _THEME.search(text)
    return match.group(1).strip() if match else None


def _period_clause(sections: list[Section]) -> Clause | None:
    for section in sections:
        for clause in section.clauses:
            folded = fold(clause.text)
            if "thoi gian thuc hien" in folded or re.search(r"den het ngay", folded):
                return clause
    return None


_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _dates_in(folded: str) -> list[date]:
    found = []
    for match in [*_DATE_WORDS.finditer(folded), *_DATE_SLASH.finditer(folded)]:
        day, month, year = (int(g) for g in match.groups())
        try:
            found.append((match.start(), date(year, month, day)))
        except ValueError:
            continue
    return [d for _, d in sorted(found)]


def _period(text: str, year: int) -> tuple[date | None, date | None]:
    folded = fold(text)
    if not folded:
        return None, date(year, 12, 31)
    start_text, _, end_text = folded.partition("den")
    starts = _dates_in(start_text)
    ends = _dates_in(end_text or folded)
    return (starts[0] if starts else None), (ends[-1] if ends else date(year, 12, 31))


def _signature_and_appendix(closing: list[str]) -> tuple[str, str, list[Clause]]:
    """After "Nơi nhận": the signer's title in capitals, their name, then any list appended."""
    signer_title = signer = ""
    appendix: list[Clause] = []
    index = 0
    while index < len(closing):
        para = closing[index]
        if not signer and para.isupper() and index + 1 < len(closing):
            name = closing[index + 1]
            if not name.isupper() and len(name.split()) <= 6:
                signer_title, signer = para, name
                index += 2
                continue
        if signer:
            numbered = _NUMBERED.match(para)
            if numbered:
                appendix.append(Clause(f"{APPENDIX}.{numbered.group(1)}", numbered.group(2)))
            elif appendix and not para.isupper():  # a heading ("DANH SÁCH …") is skipped
                last = appendix[-1]
                appendix[-1] = Clause(last.section, f"{last.text} {para}")
        index += 1
    return signer_title, signer, appendix


_PERCENT = re.compile(r"(\d{1,3})\s*%")
_METRICS = (
    ("nhiem vu trong tam", "key_tasks"),
    ("xuat sac", "excellent"),
    ("hoan thanh tot", "good"),
    ("hoan thanh", "done"),
)


def _targets(campaign: Campaign) -> list[Target]:
    """Percentages of part II, each with the words that follow it up to the next figure."""
    result = []
    part = campaign.targets_part
    for section in campaign.sections:
        if section.number.split(".")[0] != part:
            continue
        for clause in section.clauses:
            matches = list(_PERCENT.finditer(clause.text))
            for position, match in enumerate(matches):
                end = matches[position + 1].start() if position + 1 < len(matches) else None
                phrase = clause.text[match.start() : end].strip(" ,;.")
                phrase = re.split(r"[;]|,\s*trong đó", phrase)[0].strip(" ,;.")
                context = fold(clause.text[max(0, match.start() - 40) : match.start()] + phrase)
                metric = next((code for words, code in _METRICS if words in fold(phrase)), None)
                if metric is None and "nhiem vu trong tam" in context:
                    metric = "key_tasks"
                result.append(Target(int(match.group(1)), metric, phrase, clause.section))
    return result


_ANNIVERSARY = re.compile(
    r"(\d{1,3})\s+năm\s+((?:ngày|Ngày)\s[^;()]+?)\s*(?:\(([^)]*)\))?\s*(?=;|,\s*gắn|$|\.\s)",
)


def _commemorations(campaign: Campaign) -> list[Commemoration]:
    """ "Kỷ niệm 115 năm Ngày sinh … (17/8/1910 - 17/8/2025)" segments of any clause.

    The day and month come from the first date in brackets whose year agrees with the
    anniversary; the second date is ignored when it is malformed ("128/8/2025"). When the
    document gives no date, only the number of years is known.
    """
    result = []
    for clause in campaign.clauses:
        for match in _ANNIVERSARY.finditer(clause.text):
            number = int(match.group(1))
            name = match.group(2).strip().rstrip(",")
            name = name[0].upper() + name[1:]
            first_year = campaign.year - number
            day = month = None
            for found in _DATE_SLASH.finditer(match.group(3) or ""):
                d, m, y = (int(g) for g in found.groups())
                if y == first_year and 1 <= m <= 12 and 1 <= d <= 31:
                    day, month = d, m
                    break
            start = clause.text.rfind(";", 0, match.start()) + 1
            phrase = clause.text[start : match.end()].strip(" ;,")
            phrase = re.sub(r"^.*?(?=(?:[Kk]ỷ niệm\s+)?\d{1,3}\s+năm)", "", phrase, count=1)
            result.append(
                Commemoration(name, number, first_year, day, month, phrase, clause.section)
            )
    return result
