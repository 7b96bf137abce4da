"""Answer buttons: their custom id carries game, question and choice, so any click finds its way, even stale ones."""

from __future__ import annotations

import re
from typing import Any, Protocol

import discord

from bot.embeds.common import clip
from bot.embeds.trivia import STALE_GAME
from bot.trivia.questions import Question, choice_label
from bot.views.base import PhotoFinishButton, PhotoFinishView

BUTTON_LABEL = 80
COG_NAME = "Trivia"


class AnswersClicks(Protocol):
    def answer_click(self, *, game_id: str, number: int, choice: int, user_id: int) -> str: ...


def custom_id(game_id: str, number: int, choice: int) -> str:
    return f"trivia:{game_id}:{number}:{choice}"


class AnswerButton(
    PhotoFinishButton,
    template=r"trivia:(?P<game>[0-9a-f]{1,16}):(?P<number>\d{1,4}):(?P<choice>\d{1,2})",
):
    """Registered once at cog load: after a restart the bot still recognises old buttons and answers politely."""

    def __init__(self, game_id: str, number: int, choice: int, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL) or str(choice + 1),
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id(game_id, number, choice),
            )
        )
        self.game_id, self.number, self.choice = game_id, number, choice

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> AnswerButton:
        label = getattr(item, "label", None) or ""
        return cls(match["game"], int(match["number"]), int(match["choice"]), label)

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        # A forged choice (beyond the four buttons) is the session's to refuse, as NOT_A_CHOICE.
        cog: AnswersClicks | None = interaction.client.get_cog(COG_NAME)
        reply = (
            cog.answer_click(game_id=self.game_id, number=self.number, choice=self.choice, user_id=interaction.user.id)
            if cog is not None
            else STALE_GAME
        )
        await interaction.response.send_message(reply, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())


def question_view(game_id: str, number: int, question: Question) -> PhotoFinishView:
    view = PhotoFinishView()
    for index, choice in enumerate(question.choices):
        view.add_item(AnswerButton(game_id, number, index, choice_label(index, choice)))
    return view
