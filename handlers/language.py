"""/ngonngu vi|en: the language the bot answers this person in."""

from __future__ import annotations

from campaign.text import fold
from handlers.context import Context
from handlers.messages import Reply
from handlers.registry import Command, Feature

_NAMES = {
    "vi": "vi",
    "tiengviet": "vi",
    "vietnamese": "vi",
    "en": "en",
    "english": "en",
    "tienganh": "en",
}


async def set_language(ctx: Context, args: str) -> list[Reply]:
    if not args:
        return [ctx.reply("language.current", language=ctx.t(f"language.name.{ctx.language}"))]
    language = _NAMES.get(fold(args).replace(" ", ""))
    if language is None or language not in ctx.services.catalog.languages:
        return [ctx.reply("language.unknown", language=args)]
    ctx.person.language = language
    t = ctx.services.catalog.translator(language)
    return [Reply(t("language.changed", language=t(f"language.name.{language}")))]


FEATURE = Feature(commands=(Command("ngonngu", "language", ("ngôn ngữ",), set_language),))
