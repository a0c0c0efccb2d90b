"""Production instructions (生产指令, seed 001 第一篇 4): per workshop and week, from the schedule.

- semi-finished instruction (半成品指令): generated a week ahead — for the week after the
  current one — listing what each line starts or runs that week, with the stages to do;
- finished-goods instruction (成品指令): generated weekly on Friday for the next week,
  listing the quantities to finish and pack and the ex-factory dates.

Generating again for the same kind, workshop and week updates the same instruction (its
number stays); it is emailed (PDF attached) after commit to the production planners and the
workshop's contacts — again only when its content changed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import refuse
from gendan.core.models import Event
from gendan.parties.models import Contact
from gendan.planning import events
from gendan.planning.models import ProductionInstruction, ProgressEntry, ScheduleEntry
from gendan.planning.pdf import render_instruction
from gendan.planning.rules import can_plan
from gendan.planning.stages import line_category_id, stages_by_category
from gendan.production.models import ProductionOrderLine

log = logging.getLogger(__name__)
Kind = ProductionInstruction.Kind


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def default_week(kind: str, today: dt.date | None = None) -> dt.date:
    """The week an instruction generated today is for: the next week, for both kinds
    (semi-finished: a week ahead; finished goods: on Friday, for the coming week)."""
    return week_monday(today or timezone.localdate()) + dt.timedelta(days=7)


def _number(kind: str, workshop, week_start: dt.date) -> str:
    year, week, _day = week_start.isocalendar()
    return f"{'BC' if kind == Kind.SEMI_FINISHED else 'CP'}-{workshop.code}-{year}W{week:02d}"


def _content(kind: str, entries: list[ScheduleEntry]) -> list[dict]:
    """What the PDF prints, one block per schedule entry (plain values, stored as JSON)."""
    po_ids = {e.production_order_id for e in entries}
    lines = list(ProductionOrderLine.objects.filter(production_order_id__in=po_ids)
                 .select_related("order_line__product").order_by("production_order_id", "order_line__line_no"))
    stages = stages_by_category(line_category_id(line) for line in lines)
    done: dict[tuple[int, str], str] = {}
    for line_id, stage, qty in (ProgressEntry.objects.filter(production_order_id__in=po_ids).order_by("date")
                                .values_list("line_id", "stage", "cumulative_quantity")):
        done[(line_id, stage)] = format(qty.normalize(), "f")
    by_po: dict[int, list] = {}
    for line in lines:
        line_stages = stages[line_category_id(line)]
        todo = line_stages[:-1] if kind == Kind.SEMI_FINISHED else line_stages[-1:]
        by_po.setdefault(line.production_order_id, []).append({
            "line_no": line.order_line.line_no, "description": line.order_line.description,
            "unit": line.order_line.unit, "quantity": format(line.quantity.normalize(), "f"),
            "stages": [{"name": s.name_zh, "done": done.get((line.pk, s.code), "0")} for s in todo],
        })
    return [{
        "production_order": e.production_order.number, "sales_order": e.production_order.sales_order.number,
        "customer_po": e.production_order.sales_order.customer_po_no, "work_line": e.work_line.name,
        "start": e.start.isoformat(), "end": e.end.isoformat(), "quantity": format(e.quantity.normalize(), "f"),
        "ex_factory": (e.production_order.sales_order.ex_factory_date.isoformat()
                       if e.production_order.sales_order.ex_factory_date else ""),
        "items": by_po.get(e.production_order_id, []),
    } for e in entries]


def instructions_generate(*, actor, kind: str, week_start: dt.date, workshop_id: int | None = None
                          ) -> list[ProductionInstruction]:
    """Create or refresh the instructions of ``kind`` for the week starting ``week_start``
    (a Monday), one per workshop with scheduled work that week (or only ``workshop_id``).
    ``actor`` None is the weekly run (command / task); a person must be a planner or manager."""
    if actor is not None:
        refuse(can_plan(actor))
    if kind not in Kind.values:
        raise ValidationFailed(_("Choose semi-finished or finished-goods instructions."), fields={"kind": "?"})
    if not isinstance(week_start, dt.date):
        raise ValidationFailed(_("Choose the week."), fields={"week_start": "?"})
    week_start = week_monday(week_start)
    week_end = week_start + dt.timedelta(days=6)
    entries = (ScheduleEntry.objects.filter(start__lte=week_end, end__gte=week_start)
               .exclude(production_order__status__in=["cancelled", "closed"])
               .select_related("work_line__workshop", "production_order__sales_order")
               .order_by("work_line__workshop__code", "work_line__name", "start", "pk"))
    if workshop_id is not None:
        entries = entries.filter(work_line__workshop_id=workshop_id)
    by_workshop: dict[int, list[ScheduleEntry]] = {}
    for entry in entries:
        by_workshop.setdefault(entry.work_line.workshop_id, []).append(entry)
    results = []
    with transaction.atomic():
        for workshop_entries in by_workshop.values():
            workshop = workshop_entries[0].work_line.workshop
            content = _content(kind, workshop_entries)
            instruction = (ProductionInstruction.objects.select_for_update()
                           .filter(kind=kind, workshop=workshop, week_start=week_start).first())
            if instruction is not None and instruction.content == content:
                results.append(instruction)
                continue
            if instruction is None:
                instruction = ProductionInstruction.objects.create(
                    number=_number(kind, workshop, week_start), kind=kind, workshop=workshop,
                    week_start=week_start, content=content, generated_by=actor)
                event_record(actor=actor, obj=instruction, verb=Event.Verb.CREATED,
                             kind=events.INSTRUCTION_GENERATED, params={"n": len(content)})
            else:
                instruction.content, instruction.generated_by, instruction.emailed_at = content, actor, None
                instruction.save(update_fields=["content", "generated_by", "emailed_at", "updated_at"])
                event_record(actor=actor, obj=instruction, verb=Event.Verb.UPDATED,
                             kind=events.INSTRUCTION_REGENERATED, params={"n": len(content)})
            transaction.on_commit(lambda pk=instruction.pk: instruction_email(instruction_id=pk))
            results.append(instruction)
    return results


def instruction_recipients(instruction: ProductionInstruction) -> list[str]:
    """The distribution: the production planners and the workshop's contacts with an email."""
    planners = User.objects.filter(is_active=True, groups__name=Role.PRODUCTION_PLANNER).exclude(email="")
    contacts = Contact.objects.filter(supplier_id=instruction.workshop_id).exclude(email="")
    emails = [u.email for u in planners.order_by("pk").distinct()] + [c.email for c in contacts.order_by("pk")]
    return list(dict.fromkeys(emails))


def instruction_email(*, instruction_id: int) -> None:
    """Email the instruction's PDF to its distribution (after commit; not again once sent)."""
    instruction = ProductionInstruction.objects.select_related("workshop").get(pk=instruction_id)
    if instruction.emailed_at:
        return
    recipients = instruction_recipients(instruction)
    if not recipients:
        ProductionInstruction.objects.filter(pk=instruction.pk).update(
            email_error=_("Nobody to send it to: the workshop has no contact with an email.")[:300])
        return
    with translation.override("zh-hans"):
        title = instruction.get_kind_display()
        subject = f"{title} {instruction.number} · {instruction.workshop.display_name} · {instruction.week_start}"
        body = _("Please find attached the production instruction for the week from %(week)s.") % {
            "week": instruction.week_start.isoformat()}
    email = EmailMessage(subject=subject, body=body, to=recipients, from_email=settings.DEFAULT_FROM_EMAIL)
    email.attach(f"{instruction.number}.pdf", render_instruction(instruction), "application/pdf")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP down: the instruction stays generated; the page shows the error
        log.warning("instruction %s: email failed: %s", instruction.pk, exc)
        ProductionInstruction.objects.filter(pk=instruction.pk).update(email_error=str(exc)[:300])
        return
    ProductionInstruction.objects.filter(pk=instruction.pk).update(
        emailed_at=timezone.now(), emailed_to=", ".join(recipients)[:500], email_error="")
