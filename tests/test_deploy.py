"""The deploy/ files stay true to the code: the image holds every package the project
installs, and every setting they name is one the bot reads (a renamed setting would otherwise
be silently ignored in production)."""

import re
import tomllib
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SETTING = re.compile(r"^\s*([A-Z][A-Z0-9_]+)[:=]", re.MULTILINE)


def known_settings() -> set[str]:
    return {field.alias for field in Settings.model_fields.values() if field.alias}


def test_the_image_copies_every_installed_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    top_level = {name.split(".")[0] for name in project["tool"]["setuptools"]["packages"]}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", (DEPLOY / "Dockerfile").read_text(), re.M))
    assert top_level and top_level == copied


def test_every_setting_the_deploy_files_name_is_read_by_the_bot() -> None:
    named = set(SETTING.findall((DEPLOY / "bot.env.example").read_text()))
    compose = (DEPLOY / "docker-compose.yml").read_text()
    bot_service = compose.split("  bot:", 1)[1].split("\n  caddy:", 1)[0]
    environment = bot_service.split("environment:", 1)[1].split("volumes:", 1)[0]
    named |= set(SETTING.findall(environment))
    assert {"TELEGRAM_BOT_TOKEN", "BOT_DATABASE_URL", "BOT_WEBHOOK_URL"} <= named
    assert named <= known_settings(), named - known_settings()


def test_the_services_run_the_documented_commands() -> None:
    unit = (DEPLOY / "thidua-bot.service").read_text()
    assert re.search(r"^ExecStart=\S+python -m bot run$", unit, re.M)
    backup = (DEPLOY / "thidua-backup.service").read_text()
    assert re.search(r"^ExecStart=\S+python -m bot backup /var/lib/thidua/backups$", backup, re.M)
    assert "Unit=" not in (DEPLOY / "thidua-backup.timer").read_text()  # same name pairs them
