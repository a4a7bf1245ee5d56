"""Who may do what, tried for real: every command of the registry, typed by each of five
people, against the table in tests/data/role_matrix.md.

The table is data, not code: a new command fails this test until its row is written (every
command of the registry must have one), and docs/architecture.md prints the same table, so
the documentation cannot drift from what the bot does. Extra rows probe subcommands and
another unit's code ("NS"), which is where a cross-unit leak would show: the lead and the
outreach officer belong to Phòng Kế toán (KT) only.

`python -m tests.test_role_matrix` prints the table the bot answers today, to review a change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from handlers.messages import Reply
from tests.conftest import INVITE_CODE, User

TABLE = Path(__file__).resolve().parent / "data" / "role_matrix.md"
ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
ROLES = ("stranger", "member", "outreach", "lead", "admin")
ALLOWED, REFUSED = "✓", "✗"
REFUSALS = (".not_allowed", ".join_first", ".not_lead", ".not_your_unit", ".admin_only_role")
"""Endings of the catalogue keys that refuse for want of a role."""


def read_table(path: Path = TABLE) -> dict[str, dict[str, str]]:
    """Rows of the markdown table: probe → role → ✓ or ✗."""
    rows: dict[str, dict[str, str]] = {}
    for line in path.read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != len(ROLES) + 1 or not cells[0].startswith("`/"):
            continue
        rows[cells[0].strip("`")] = dict(zip(ROLES, cells[1:], strict=True))
    return rows


def refused(replies: list[Reply]) -> bool:
    """A refusal for want of a role: the router's "not allowed", or a handler's "you are not
    the lead of this unit" or "not your unit"."""
    keys = [reply.key or "" for reply in replies]
    return any(key.endswith(REFUSALS) for key in keys)


async def people(app: App) -> dict[str, User]:
    """The five people of the matrix; the unit roles are held in KT, and NS exists beside it."""
    admin = User(app, "admin", name="Văn phòng")
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them NS Phòng Nhân sự")
    cast = {"stranger": User(app, "stranger", name="Khách"), "admin": admin}
    for role, word in (("member", ""), ("outreach", "outreach"), ("lead", "lead")):
        reply = await admin.say(f"/moi KT {word}".strip())
        code = INVITE_CODE.search(reply)
        assert code is not None, reply
        user = User(app, role, name=role.title())
        await user.say(f"/start {code.group(1)}")
        cast[role] = user
    return cast


async def answers(app: App, role: str, probes: list[str]) -> dict[str, str]:
    """What one person meets for each probe: ✓ answered or ✗ refused; never the apology."""
    user = (await people(app))[role]
    apology = app.services.catalog.translator("vi")("error.unexpected")
    seen: dict[str, str] = {}
    for probe in probes:
        replies = await user.replies(probe)
        assert all(reply.text != apology for reply in replies), f"{role} {probe}: apology"
        seen[probe] = REFUSED if refused(replies) else ALLOWED
    return seen


def probes_of(app: App) -> list[str]:
    """Every command of the registry with no arguments, then the table's extra probes."""
    table = read_table()
    names = [f"/{command.name}" for command in app.router.registry.commands]
    return names + [probe for probe in table if probe not in names]


def test_every_command_of_the_registry_has_a_row(fresh_app: App) -> None:
    missing = [p for p in probes_of(fresh_app) if p not in read_table()]
    assert not missing, f"add rows to {TABLE.name} for: {missing}"


def test_the_documentation_prints_the_same_table() -> None:
    expected = read_table()
    assert read_table(ARCHITECTURE) == expected, (
        "copy tests/data/role_matrix.md into architecture.md"
    )


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_meets_the_table(app: App, role: str) -> None:
    table = read_table()
    probes = probes_of(app)
    seen = await answers(app, role, probes)
    wrong = {
        p: f"table {table.get(p, {}).get(role)}, bot {seen[p]}"
        for p in probes
        if table.get(p, {}).get(role) != seen[p]
    }
    assert not wrong, f"{role}: {wrong}"


def render(rows: dict[str, dict[str, str]]) -> str:
    lines = ["| command | " + " | ".join(ROLES) + " |", "|---" * (len(ROLES) + 1) + "|"]
    for probe, cells in rows.items():
        lines.append(f"| `{probe}` | " + " | ".join(cells[r] for r in ROLES) + " |")
    return "\n".join(lines)


async def _current_table() -> str:  # pragma: no cover - a maintainer's tool
    import tempfile
    from datetime import UTC, datetime

    from bot.app import open_app
    from bot.config import load_settings
    from tests.conftest import CAMPAIGN_2026, Clock, import_file

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bot.db"
        rows: dict[str, dict[str, str]] = {}
        for role in ROLES:
            settings = load_settings(BOT_DATABASE_URL=url, BOT_ADMINS="console:admin")
            app = await open_app(settings, clock=Clock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC)))
            try:
                await import_file(app, CAMPAIGN_2026)
                for probe, mark in (await answers(app, role, probes_of(app))).items():
                    rows.setdefault(probe, {})[role] = mark
            finally:
                await app.close()
            Path(folder, "bot.db").unlink()
        return render(rows)


if __name__ == "__main__":  # pragma: no cover
    import asyncio

    print(asyncio.run(_current_table()))
