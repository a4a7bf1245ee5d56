"""Dialogs as state tables: each state names the question it shows and what an answer does.

A dialog is a `DialogTable`: its states, each with a `prompt` (the question shown on entering
it) and an `on_answer` that returns where to go — `Goto` another state (or the same one, with
an amended payload), `Stay` (say something, keep waiting for an answer to the same question) or
`End`. The payload is a dataclass of the dialog, stored as a dict in dialog_state.data (with
the option payloads the router checks answers against) and read back typed at the next answer,
so a restart mid-dialog loses nothing. One driver runs every table: the router calls
`table.answer` as it calls any dialog handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from campaign.understand import leaves
from handlers.context import Context
from handlers.messages import Reply

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P = TypeVar("P", bound="DataclassInstance")


@dataclass(frozen=True)
class Goto(Generic[P]):
    """Enter `state` with `payload`, showing `reply` instead of the state's own prompt (a
    "noted", a retry with the same options)."""

    state: str
    payload: P
    reply: Reply | None = None


@dataclass(frozen=True)
class Stay:
    """Say this and keep waiting for an answer to the question already shown."""

    reply: Reply


@dataclass(frozen=True)
class End:
    """The dialog is over (done, or refused in a way no answer mends)."""

    replies: list[Reply]


Outcome = Goto[P] | Stay | End


@dataclass(frozen=True)
class State(Generic[P]):
    prompt: Callable[[Context, P], Awaitable[Reply]]
    on_answer: Callable[[Context, str, P], Awaitable[Outcome[P]]]
    takes: Takes = "choice"
    """What the answer is: a choice among the options shown ("choice": any command or
    question typed meanwhile is answered instead), free text ("text": a commitment, a
    comment; only unmistakable commands and sentences ending in "?" are answered instead) or
    a question of the user's own ("question": a poll's; only unmistakable commands)."""


Takes = Literal["choice", "text", "question"]
TAKES = "_takes"
"""Kept in a dialog's data while it waits for text rather than a choice (State.takes)."""


def _never(answer: str) -> bool:
    return False


@dataclass(frozen=True)
class DialogTable(Generic[P]):
    name: str
    payload: type[P]
    """A dataclass: its fields are what the dialog remembers between answers."""
    states: Mapping[str, State[P]]
    cancels: Callable[[str], bool] = _never
    """Whether an answer, in any state, abandons the dialog."""
    cancelled: str = "dialog.left"
    """What abandoning it says (a catalogue key). "huỷ", "thôi", "cancel" (campaign.understand
    LEAVE_WORDS) leave every dialog; `cancels` adds a dialog's own words and buttons."""

    async def start(self, ctx: Context, state: str, payload: P) -> Reply:
        """Show the question of `state` and wait for its answer."""
        return await self._enter(ctx, Goto(state, payload))

    async def answer(
        self, ctx: Context, answer: str, step: str, data: dict[str, Any]
    ) -> list[Reply]:
        """The dialog handler the registry knows: one answer, one transition."""
        state = self.states.get(step)
        if leaves(answer) or self.cancels(answer) or state is None:
            await ctx.end_dialog()
            return [ctx.reply(self.cancelled if state is not None else "error.stale_choice")]
        outcome = await state.on_answer(ctx, answer, self._load(data))
        if isinstance(outcome, Stay):
            return [outcome.reply]
        if isinstance(outcome, End):
            await ctx.end_dialog()
            return outcome.replies
        return [await self._enter(ctx, outcome)]

    async def _enter(self, ctx: Context, goto: Goto[P]) -> Reply:
        state = self.states[goto.state]
        reply = goto.reply or await state.prompt(ctx, goto.payload)
        data = asdict(goto.payload)
        if state.takes != "choice":
            data[TAKES] = state.takes
        return await ctx.ask(self.name, goto.state, reply, **data)

    def _load(self, data: Mapping[str, Any]) -> P:
        names = {f.name for f in fields(self.payload)}
        return self.payload(**{k: v for k, v in data.items() if k in names})
