"""The report workbook: a summary sheet with the standing's picture (the one /thongke sends),
and one sheet per unit (openpyxl)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from campaign.ratings import Rating
from campaign.titles import BY_CODE
from handlers.chart import standing_png
from handlers.context import Translate
from handlers.messages import plain
from storage.standing import MemberRow

if TYPE_CHECKING:
    from usecases.standing import ReportData, UnitStanding

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_WIDTH = 60


def _plain(t: Translate, key: str, **values: object) -> str:
    return plain(t(key, **values))


def report_bytes(t: Translate, data: ReportData, *, activities_only: bool = False) -> bytes:
    """The .xlsx file of /baocao and `export` (openpyxl is imported with this module: a sixth
    of the start-up time of every command line call, so only the report imports it);
    `export --activities` writes the activities sheet alone."""
    if activities_only:
        workbook = Workbook()
        first = workbook.active
        assert isinstance(first, Worksheet)
        workbook.remove(first)
        activities_sheet(t, workbook, data)
        return _saved(workbook)
    return build_workbook(t, data.year, data.results, data.people, data)


def activities_sheet(t: Translate, workbook: Workbook, data: ReportData) -> None:
    """The "Hoạt động" sheet: one row per activity and unit, with sign-ups, attendance and
    contributions; times in the bot's zone, as dd/mm/yyyy hh:mm."""
    sheet = workbook.create_sheet(_plain(t, "report.activities_sheet"))
    sheet.append(
        [
            _plain(t, f"report.col_{name}")
            for name in (
                "code",
                "unit",
                "activity",
                "activity_kind",
                "activity_time",
                "activity_state",
                "signed_up",
                "waitlisted",
                "attended",
                "absent",
                "attendance",
                "contributed",
                "contributions",
            )
        ]
    )
    codes = {r.unit.id: r.unit for r in data.results if r.unit is not None}
    when = data.when
    for row in data.activities:
        unit = codes.get(row.unit_id)
        starts = row.starts_at.astimezone(when.zone) if when else row.starts_at
        held = when is None or row.starts_at <= when.now
        state = "cancelled" if row.cancelled else "held" if held else "coming"
        expected = row.signed_up if held and not row.cancelled else 0
        sheet.append(
            [
                unit.code if unit else "",
                unit.name if unit else "",
                row.name,
                _plain(t, f"activity.kind.{row.kind}"),
                starts.replace(tzinfo=None),
                _plain(t, f"report.activity_{state}"),
                row.signed_up,
                row.waitlisted,
                row.attended,
                max(expected - row.attended, 0) if expected else None,
                row.attended / expected if expected else None,
                row.contributed,
                row.contributions,
            ]
        )
    for cells in sheet.iter_rows(min_row=2):
        cells[4].number_format = "dd/mm/yyyy hh:mm"
        cells[10].number_format = "0%"
        cells[11].number_format = "#,##0"
    _style(sheet)


def build_workbook(
    t: Translate,
    year: int,
    results: list[UnitStanding],
    people: dict[int, list[MemberRow]],
    data: ReportData | None = None,
) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert isinstance(first, Worksheet)
    summary: Worksheet = first  # openpyxl's stubs type `active` as a chart sheet too
    summary.title = _plain(t, "report.summary_sheet")
    rules = results[0].targets if results else []
    headers = [
        _plain(t, "report.col_code"),
        _plain(t, "report.col_unit"),
        _plain(t, "report.col_members"),
        _plain(t, "report.col_pledged"),
        _plain(t, "report.col_pledged_share"),
        _plain(t, "report.col_progress"),
        *(
            _plain(t, "report.col_final_rating", rating=_plain(t, f"rating.{r.value}"))
            for r in Rating
        ),
        _plain(t, "report.col_unrated"),
        *(_plain(t, f"target.{r.rule.metric}", percent=r.rule.percent) for r in rules),
        *(
            _plain(
                t,
                "report.col_target_status",
                target=_plain(t, f"target.{r.rule.metric}", percent=r.rule.percent),
            )
            for r in rules
        ),
        # self-assessments last, apart from the final ratings the targets are judged on
        *(
            _plain(t, "report.col_self_rating", rating=_plain(t, f"rating.{r.value}"))
            for r in Rating
        ),
        _plain(t, "report.col_self_unrated"),
    ]
    summary.append(headers)
    for item in results:
        tally = item.tally
        code = item.unit.code if item.unit else ""
        name = item.unit.name if item.unit else _plain(t, "report.department")
        average = tally.progress_average
        summary.append(
            [
                code,
                name,
                tally.members,
                tally.pledged,
                tally.pledged_share,
                None if average is None else average / 100,
                *(tally.ratings.get(r, 0) for r in Rating),
                tally.members - tally.rated,
                *(target.share for target in item.targets),
                *(_plain(t, f"status.{target.status.value}") for target in item.targets),
                *(tally.self_ratings.get(r, 0) for r in Rating),
                tally.members - tally.self_rated,
            ]
        )
    for row in summary.iter_rows(min_row=2):
        for cell in (row[4], row[5], *row[11 : 11 + len(rules)]):
            cell.number_format = "0%"
    _style(summary)
    units_with_rows = [r for r in results if r.unit is not None]
    if any(item.tally.members for item in results):  # the picture of /thongke, under the table
        title = _plain(t, "chart.title", year=year)
        picture = Image(io.BytesIO(standing_png(t, title, results)))
        summary.add_image(picture, f"A{len(results) + 4}")

    for item in units_with_rows:
        assert item.unit is not None
        sheet = workbook.create_sheet(_sheet_name(item.unit.code, workbook.sheetnames))
        sheet.append(
            [
                _plain(t, "report.col_person"),
                _plain(t, "report.col_role"),
                _plain(t, "report.col_title"),
                _plain(t, "report.col_commitments"),
                _plain(t, "report.col_latest_progress"),
                _plain(t, "report.col_self"),
                _plain(t, "report.col_self_comment"),
                _plain(t, "report.col_final"),
            ]
        )
        for person in people.get(item.unit.id, []):
            sheet.append(
                [
                    person.name,
                    _plain(t, f"role.{person.role}"),
                    BY_CODE[person.title].name if person.title in BY_CODE else "",
                    "\n".join(f"{n}. {c}" for n, c in enumerate(person.commitments, 1)),
                    None if person.progress is None else person.progress / 100,
                    _plain(t, f"rating.{person.self_rating}") if person.self_rating else "",
                    person.self_comment or "",
                    _plain(t, f"rating.{person.final_rating}") if person.final_rating else "",
                ]
            )
        for row in sheet.iter_rows(min_row=2):
            row[4].number_format = "0%"
            row[3].alignment = Alignment(wrap_text=True, vertical="top")
        _style(sheet)
    if data is not None and data.activities:
        activities_sheet(t, workbook, data)
    return _saved(workbook)


def _saved(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_name(code: str, taken: list[str]) -> str:
    name = "".join(ch for ch in code if ch not in "[]:*?/\\")[:31] or "unit"
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name[:28]}-{n}"
        n += 1
    return candidate


def _style(sheet: Worksheet) -> None:
    """Bold, shaded, frozen header row; columns as wide as their longest line (capped)."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max(
            (
                max((len(line) for line in str(c.value).split("\n")), default=0)
                for c in column
                if c.value is not None
            ),
            default=8,
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_WIDTH, max(8, longest + 2)
        )
