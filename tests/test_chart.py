"""/thongke as a picture: what the bars say (pure), the PNG sent with the figures, none when
nobody is counted, and the same picture in the report's summary sheet."""

from __future__ import annotations

import io

from PIL import Image

from bot.app import App
from campaign.ratings import Rating
from campaign.standing import DEFAULT_TARGETS, Status, Tally, evaluate
from handlers.chart import COLOURS, NEUTRAL, Bar, bars_of, standing_png
from storage.models import Unit
from tests.conftest import CAMPAIGN_2026, User, import_file, members_of_kt
from usecases.standing import UnitStanding


def standing(
    members: int, pledged: int, progress: float, ratings: dict[Rating, int]
) -> UnitStanding:
    tally = Tally(members, pledged, progress * pledged, pledged, ratings)
    targets = [evaluate(tally, rule) for rule in DEFAULT_TARGETS]
    return UnitStanding(Unit(code="KT", name="Phòng Kế toán"), tally, targets, False)


def test_the_bars_are_the_figures_with_each_targets_line(app: App) -> None:
    t = app.services.catalog.translator("vi")
    item = standing(4, 2, 50.0, {Rating.EXCELLENT: 1, Rating.FAILED: 3})
    bars = bars_of(t, item)
    assert bars[:2] == [
        Bar("Đã đăng ký thi đua", 50.0, NEUTRAL),
        Bar("Tiến độ trung bình", 50.0, NEUTRAL),
    ]
    done, good, excellent = bars[2:]
    assert (done.value, done.target, done.colour) == (25.0, 100, COLOURS[Status.NOT_MET])
    assert (excellent.value, excellent.target, excellent.colour) == (25.0, 5, COLOURS[Status.MET])
    assert good.label == "≥95% hoàn thành tốt trở lên"


def test_the_picture_is_a_png_of_every_unit(app: App) -> None:
    t = app.services.catalog.translator("vi")
    items = [standing(4, 2, 50.0, {}), standing(10, 10, 90.0, {Rating.GOOD: 10})]
    picture = Image.open(io.BytesIO(standing_png(t, "Thi đua năm 2026", items)))
    assert picture.format == "PNG" and picture.size[0] == 900
    taller = Image.open(io.BytesIO(standing_png(t, "Thi đua", items * 3)))
    assert taller.size[1] > picture.size[1]  # one band of bars per unit


async def test_thongke_sends_the_figures_and_their_picture(app: App, admin: User) -> None:
    await import_file(app, CAMPAIGN_2026)
    head, _lan = await members_of_kt(app, admin)
    await head.say("/dangky LĐTT; Hồ sơ đúng hạn")
    [reply] = await head.replies("/thongke KT")
    assert "<b>Phòng Kế toán</b> (KT) — 2 thành viên" in str(reply.text)
    assert reply.file is not None and reply.file.kind == "photo"
    assert reply.file.filename == "thong-ke-2026.png"
    assert Image.open(io.BytesIO(reply.file.data)).format == "PNG"


async def test_no_picture_while_nobody_is_counted(app: App, admin: User) -> None:
    await import_file(app, CAMPAIGN_2026)
    await admin.say("/donvi them KT Phòng Kế toán")
    [reply] = await admin.replies("/thongke")
    assert reply.file is None and "(KT) — 0 thành viên" in str(reply.text)
