from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from tests.conftest import run_cli


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///thidua.db"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.language == "vi"
    assert settings.admins == ()
    assert settings.telegram_token is None
    assert (settings.province, settings.sector) == ((), ())
    assert settings.data_dir == Path("data")


def test_the_data_folder_is_a_path_and_blank_is_the_default() -> None:
    assert load_settings(BOT_DATA_DIR="/srv/thidua/bao-cao").data_dir == Path("/srv/thidua/bao-cao")
    assert load_settings(BOT_DATA_DIR="  ").data_dir == Path("data")


def test_admins_are_parsed_and_tokens_stay_secret() -> None:
    settings = load_settings(
        BOT_ADMINS=" telegram:123, Zalo:abc ,", TELEGRAM_BOT_TOKEN="123:SECRET", ZALO_BOT_TOKEN=""
    )
    assert settings.admins == ("telegram:123", "zalo:abc")
    assert "SECRET" not in repr(settings)
    assert settings.zalo_token is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BOT_DATABASE_URL", "mysql://x@y/z"),
        ("BOT_DATABASE_URL", "not a url"),
        ("BOT_DATABASE_URL", "sqlite:///sync-driver.db"),
        ("BOT_TIMEZONE", "Mars/Olympus"),
        ("BOT_ADMINS", "telegram"),
        ("BOT_ADMINS", "facebook:1"),
        ("BOT_LANGUAGE", "fr"),
        ("BOT_WEBHOOK_SECRET", "short"),
        ("BOT_WEBHOOK_SECRET", "has spaces in it"),
    ],
)
def test_wrong_value_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(**{variable: value})
    message = str(raised.value)
    assert message.startswith(f"{variable}:")
    assert "\n" not in message
    assert "spaces" not in message  # a secret is never echoed


def test_calendar_packs_are_comma_separated_names() -> None:
    settings = load_settings(BOT_PROVINCE="lang-son, Hà Nội,", BOT_SECTOR="giao-thong,xay-dung")
    assert settings.province == ("lang-son", "ha-noi")
    assert settings.sector == ("giao-thong", "xay-dung")
    assert load_settings(BOT_PROVINCE=" ").province == ()


@pytest.mark.parametrize(
    ("variable", "value", "known"),
    [
        ("BOT_PROVINCE", "lang-son,ca-mau", "ha-noi, lang-son"),
        ("BOT_SECTOR", "gtvt", "giao-thong, noi-vu, xay-dung, y-te"),
    ],
)
def test_an_unknown_pack_is_refused_with_the_valid_names(
    variable: str, value: str, known: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(**{variable: value})
    wrong = value.split(",")[-1]
    assert str(raised.value) == f"{variable}: unknown pack {wrong!r}; use one of {known}"


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("BOT_LANGUAGE=en\nBOT_TIMEZONE=Asia/Bangkok\n")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert (settings.language, settings.timezone) == ("en", "Asia/Bangkok")


def test_start_up_with_a_wrong_setting_prints_one_line(tmp_path: Path) -> None:
    result = run_cli(
        "units",
        "list",
        database_url="sqlite+aiosqlite:///x.db",
        cwd=tmp_path,
        env={"BOT_TIMEZONE": "Mars/Olympus"},
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Cấu hình sai: BOT_TIMEZONE: unknown time zone 'Mars/Olympus'"
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()
