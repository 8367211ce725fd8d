"""How briefings look in chat: the draft with its buttons, the edit prompts, the suggestion."""

from __future__ import annotations

import datetime as dt

from bot.engine.messages import Actions, Block, Button, Heading, Message, Paragraph
from bot.engine.replies import say
from coaching.briefing import SECTIONS, BriefingContent, Leak, SectionKey, headings
from coaching.briefing.deterministic import day


def leak_reasons(leaks: list[Leak] | tuple[Leak, ...]) -> str:
    return "; ".join(
        say("brief_leak", fragment=leak.fragment, source=leak.source) for leak in leaks
    )


def draft_message(
    briefing_id: int,
    deal_name: str,
    champion: str | None,
    content: BriefingContent,
    *,
    status: str,
    leaks: list[Leak] | tuple[Leak, ...] = (),
    fallback: str | None = None,
    delivery: str,
    emails: bool = False,
) -> Message:
    """A draft for the rep: the champion's page, the rep-only notes, the buttons."""
    who = champion or say("brief_champion_unknown")
    titles = headings()
    blocks: list[Block] = [
        Heading(text=say("brief_heading", id=briefing_id, champion=who, deal=deal_name))
    ]
    if status == "blocked":
        reasons = leak_reasons(leaks)
        blocks.append(
            Paragraph(
                text=say(
                    "brief_status_blocked",
                    champion=who,
                    reasons=reasons,
                    id=briefing_id,
                    deal=deal_name,
                )
            )
        )
    else:
        blocks.append(Paragraph(text=say("brief_status_draft", champion=who)))
    if fallback:
        blocks.append(Paragraph(text=say("brief_fallback", reason=fallback)))
    blocks.extend(shared_blocks(content, titles))
    blocks.extend(rep_blocks(content, titles))
    blocks.append(Paragraph(text=delivery))
    buttons = draft_buttons(briefing_id, approvable=status == "draft", emails=emails)
    blocks.append(Actions(buttons=buttons))
    summary = say("brief_summary", id=briefing_id, champion=who, deal=deal_name)
    return Message(summary=summary, blocks=tuple(blocks))


def shared_blocks(content: BriefingContent, titles: dict[str, str]) -> list[Block]:
    """The champion's page as they will read it: an absent section is left out."""
    shared = content.shared
    blocks: list[Block] = [Paragraph(text=f"*{shared.headline}*")]
    for key in ("problem", "vision", "value", "why_now"):
        if shared.present(key):
            blocks += [Heading(text=titles[key]), Paragraph(text=getattr(shared, key))]
    if shared.objections:
        blocks.append(Heading(text=titles["objections"]))
    blocks.extend(
        Paragraph(
            text=say("brief_objection", who=item.who, concern=item.concern, answer=item.answer)
            if item.concern
            else say("brief_objection_no_concern", who=item.who, answer=item.answer)
        )
        for item in shared.objections
    )
    blocks += [Heading(text=titles["ask"]), Paragraph(text=shared.ask)]
    if shared.next_steps:
        blocks.append(Heading(text=titles["next_steps"]))
        blocks.append(Paragraph(text=_bullets(shared.next_steps)))
    return blocks


def rep_blocks(content: BriefingContent, titles: dict[str, str]) -> list[Block]:
    rep = content.rep
    blocks: list[Block] = [
        Heading(text=say("brief_rep_only")),
        Paragraph(text=f"*{titles['offer']}*\n" + say("brief_offer", text=rep.offer)),
        Paragraph(
            text=f"*{titles['role_play']}*\n"
            + "\n".join(
                say("brief_role_play", question=item.question, answer=item.answer)
                for item in rep.role_play
            )
        ),
        Paragraph(text=f"*{titles['debrief']}*\n" + _bullets(rep.debrief)),
    ]
    if rep.questions_for_rep:
        blocks.append(
            Paragraph(text=f"*{titles['questions_for_rep']}*\n" + _bullets(rep.questions_for_rep))
        )
    return blocks


def draft_buttons(briefing_id: int, *, approvable: bool, emails: bool) -> tuple[Button, ...]:
    edit = Button(
        action="briefing_edit",
        label=say("brief_edit_button"),
        value=str(briefing_id),
        command=f"edit {briefing_id}",
    )
    approve = Button(
        action="briefing_approve",
        label=say("brief_approve_button" if emails else "brief_approve_button_files"),
        value=str(briefing_id),
        command=f"approve {briefing_id}",
        style="primary",
    )
    discard = Button(
        action="briefing_discard",
        label=say("brief_discard_button"),
        value=str(briefing_id),
        command=f"discard {briefing_id}",
        style="danger",
    )
    return (edit, approve, discard) if approvable else (edit, discard)


def pick_section_message(briefing_id: int) -> Message:
    titles = headings()
    text = say("edit_pick_section", id=briefing_id)
    lines = "\n".join(
        say("edit_section_line", number=number, heading=titles[key])
        for number, key in enumerate(SECTIONS, start=1)
    )
    buttons = tuple(
        Button(
            action="briefing_section",
            label=titles[key],
            value=f"{briefing_id}:{key}",
            command=f"edit {briefing_id} {key}",
        )
        for key in SECTIONS
    )
    return Message(
        summary=text, blocks=(Paragraph(text=text), Paragraph(text=lines), Actions(buttons=buttons))
    )


def send_text_message(briefing_id: int, key: SectionKey, content: BriefingContent) -> Message:
    heading = headings()[key]
    hint = {"objections": say("edit_objections_hint"), "next_steps": say("edit_list_hint")}
    text = say("edit_send_text", heading=heading, id=briefing_id, list_hint=hint.get(key, ""))
    return Message(
        summary=text, blocks=(Paragraph(text=text), Paragraph(text=content.section_text(key)))
    )


def suggestion_message(
    deal_id: int, deal_name: str, champion: str, decision: dt.date, today: dt.date
) -> Message:
    date = day(decision)
    text = say(
        "suggest_text", deal=deal_name, date=date, days=(decision - today).days, champion=champion
    )
    button = Button(
        action="briefing_draft",
        label=say("brief_draft_button"),
        value=str(deal_id),
        command=f"brief {deal_name}",
        style="primary",
    )
    return Message(
        summary=say("suggest_summary", deal=deal_name, champion=champion, date=date),
        blocks=(
            Heading(text=say("suggest_heading", champion=champion)),
            Paragraph(text=text),
            Actions(buttons=(button,)),
        ),
    )


def _bullets(items: list[str]) -> str:
    return "\n".join(say("brief_item", text=item) for item in items)
