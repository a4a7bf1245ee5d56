"""Message catalogues (gettext .po, one folder per language), read at start-up by bot.i18n."""

from pathlib import Path

LOCALES_DIR = Path(__file__).parent
DOMAIN = "bot"
