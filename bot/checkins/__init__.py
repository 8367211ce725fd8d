"""Check-ins: the scheduled rounds, the question-by-question dialog, the rep's own
commands (deals, snooze, out of office, pause, schedule) and qualification edits.

`feature(ctx)` is what bot/bootstrap.py registers.
"""

from __future__ import annotations

import datetime as dt

from bot.checkins import rep_commands
from bot.checkins.chat_fixes import FIX_ACTION, ChatFixes
from bot.checkins.conversation import CheckinConversation
from bot.checkins.dialog import CheckinDialog
from bot.checkins.pause_text import read_pause
from bot.checkins.proposals import CONFIRM_ACTION
from bot.checkins.qualification_edits import EDIT_ACTION, edit_action
from bot.checkins.rounds import CheckinRounds
from bot.checkins.schedule_commands import ScheduleCommands
from bot.engine.feature import Command, Feature, Questions, Tick
from bot.infra.services import Context


def feature(ctx: Context) -> Feature:
    services = ctx.services
    settings, playbook = services.settings, services.playbook
    rules = settings.checkin_rules
    model = ctx.chat_model()
    extractor = None
    if model is not None:
        from prompts.llm import ModelAnswerExtractor

        extractor = ModelAnswerExtractor(model)
    dialog = CheckinDialog(playbook, rules)
    rounds = CheckinRounds(
        services.database, playbook=playbook, rules=rules, dialog=dialog, recipients=ctx.recipients
    )
    talk = CheckinConversation(services, dialog, extractor)
    schedule = ScheduleCommands(rules)
    fixes = ChatFixes(playbook, dialog)
    return Feature(
        name="checkins",
        commands=(
            Command(("checkin", "check-in"), dialog.start, help="help_checkin"),
            Command(("deals",), talk.deals, help="help_deals"),
            Command(("deal",), talk.deal, help="help_deal"),
            Command(
                ("snooze",), rep_commands.snooze, help="help_snooze", takes_free_text_args=True
            ),
            Command(("unsnooze",), rep_commands.unsnooze),
            Command(
                ("ooo",), rep_commands.out_of_office, help="help_ooo", takes_free_text_args=True
            ),
            Command(("schedule",), schedule.schedule, help="help_schedule"),
            Command(("pause",), rep_commands.pause, help="help_pause", takes_free_text_args=True),
            Command(("resume",), rep_commands.resume),
            Command(("stop",), talk.stop),
            Command(("undo",), fixes.undo, help="help_undo"),
        ),
        preparers={"pause": read_pause},
        actions={
            "answer": talk.answer_button,
            "unsure": talk.unsure_button,
            "skip": talk.skip_button,
            CONFIRM_ACTION: talk.confirm_button,
            FIX_ACTION: fixes.confirm_button,
            EDIT_ACTION: edit_action(playbook),
        },
        questions=Questions(
            talk.open_question, read_ahead=talk.read_ahead if extractor is not None else None
        ),
        follow_ups=(fixes.follow_up,),
        fallbacks=(talk.skip_without_question,),
        help_notes=("help_during_checkin",),
        ticks=(Tick("checkins", dt.timedelta(seconds=settings.tick_seconds), rounds.tick),),
        parts=(dialog, rounds),
    )
