"""Dunning (催款): the levels finance configures, the daily run, and its e-mails.

**Levels** (``dunning_levels_save``): from how many days overdue, the e-mail's subject and text in
Chinese and English (placeholders ``PLACEHOLDERS``, checked on save), and what the level does —
e-mail the customer's finance contact, put a task on the merchandiser's and salesperson's board,
escalate to the manager(s) of the customer's team / region, put the customer on credit hold.
Days overdue increase with the level.

**The run** (``dunning_run(today)``): once a day (``DunningRun.run_on`` is unique; a second run the
same day does nothing) from ``chase_run``, or when finance presses "run now". For each customer
with overdue open amounts — an instalment due before today whose amount less what was received
less what is in open dispute is above zero — ONE reminder (``DunningNotice``) at the highest level
its oldest overdue instalment reached, listing the instalments. Amounts in dispute are never
dunned. Then:

- the customer's e-mail goes to its finance contact (a contact whose job title says finance,
  accounts, 财务 or 会计; else the main contact; else the customer's own address), in the
  customer's language (Chinese for a customer in China, else English), by a task after the
  commit — **only when the level rose since the last run, or no e-mail of that level went out in
  the last 7 days** (``REPEAT_DAYS``): a customer is not mailed the same reminder every day;
- a level with a board task shows the reminder on the board of the customer's merchandiser and
  salesperson (``tracking.money_chase``) until it is superseded by the next run's or settled;
- a level that escalates sends each manager concerned ONE e-mail per run listing their customers;
- the hold level puts the customer on credit hold (``services.credit.hold_apply``), on the
  timeline of the customer and its open orders. A hold finance lifted is not put back for the
  same debt: only when an instalment reaches the hold level after the lift.

A customer with nothing overdue any more drops to level 0; its open reminders close
(``resolved_at``) and leave the board. The hold stays until finance lifts it.
"""

from __future__ import annotations

import datetime as dt
import logging
import string
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.domain_events import publish
from gendan.core.errors import FieldErrors
from gendan.core.guards import require
from gendan.core.money import format_money
from gendan.finance.models import PaymentPlanItem
from gendan.parties.models import Customer
from gendan.receivables.errors import CreditError
from gendan.receivables.events_credit import DunningCleared, DunningLevelsChanged, DunningReminder
from gendan.receivables.models import CustomerCredit, Dispute, DunningLevel, DunningNotice, DunningRun
from gendan.receivables.services.credit import DUNNING_HOLD_PREFIX, credit_of, hold_apply, live_orders_q
from gendan.sales.models import SalesOrder

log = logging.getLogger("gendan.receivables")

RUN = "receivables.add_dunningrun"  # finance: "run now"
EDIT_LEVELS = "receivables.change_dunninglevel"  # finance
REPEAT_DAYS = 7  # the same level is e-mailed again after a week at the earliest
PLACEHOLDERS = ("customer", "amount", "oldest_due", "days", "orders", "items", "company")
FINANCE_TITLE_WORDS = ("finance", "financial", "account", "payable", "财务", "会计", "出纳")
LEVEL_FIELDS = ("days_overdue", "subject_zh", "subject_en", "body_zh", "body_en", "email_customer", "board_task",
                "escalate_manager", "credit_hold")
MAX_LEVELS = 9


# --- levels ----------------------------------------------------------------------------------------


def _placeholders_unknown(text: str) -> list[str] | None:
    """Unknown placeholders in ``text`` ([] when fine), or None when its braces are broken."""
    try:
        names = [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None
    return [name for name in names if name not in PLACEHOLDERS]


def _bool(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True", "on", "yes")


def dunning_levels_save(*, actor: User, levels: list[dict]) -> list[DunningLevel]:
    """Replace the dunning levels with ``levels`` (numbered 1, 2, … in the order given). Each names
    its days overdue (increasing), both subjects and texts (known placeholders only) and what it
    does. Every wrong field is named (``level-<n>-<field>``); nothing is saved then."""
    require(actor, EDIT_LEVELS, message=_("Only finance edits the dunning levels."))
    errors = FieldErrors()
    if not levels:
        errors.add("levels", _("Keep at least one dunning level."), CreditError.DUNNING_LEVELS_INVALID)
    if len(levels) > MAX_LEVELS:
        errors.add("levels", _("At most %(n)d dunning levels.") % {"n": MAX_LEVELS}, CreditError.DUNNING_LEVELS_INVALID)
    clean: list[dict] = []
    previous = None
    for number, row in enumerate(levels[:MAX_LEVELS], start=1):
        key = f"level-{number}"
        raw = str(row.get("days_overdue", "")).strip()
        days = int(raw) if raw.isdigit() and len(raw) < 5 else None
        if days is None or not 1 <= days <= 3650:
            errors.add(f"{key}-days_overdue", _("Level %(n)d: days overdue is a whole number from 1 to 3650.")
                       % {"n": number}, CreditError.DUNNING_LEVELS_INVALID)
        elif previous is not None and days <= previous:
            errors.add(f"{key}-days_overdue", _(
                "Level %(n)d: days overdue must be more than the level before (%(prev)d).")
                % {"n": number, "prev": previous}, CreditError.DUNNING_LEVELS_INVALID)
        previous = days if days is not None else previous
        values = {"level": number, "days_overdue": days}
        for name, limit in (("subject_zh", 200), ("subject_en", 200), ("body_zh", 5000), ("body_en", 5000)):
            text = str(row.get(name) or "").strip()
            values[name] = text
            if not text:
                errors.add(f"{key}-{name}", _("Level %(n)d: write the text in both languages.") % {"n": number},
                           CreditError.DUNNING_LEVELS_INVALID)
                continue
            if len(text) > limit:
                errors.add(f"{key}-{name}", _("Level %(n)d: at most %(max)d characters.") % {"n": number, "max": limit},
                           CreditError.DUNNING_LEVELS_INVALID)
            unknown = _placeholders_unknown(text)
            if unknown is None:
                errors.add(f"{key}-{name}", _("Level %(n)d: a brace is not closed; write placeholders as {customer}.")
                           % {"n": number}, CreditError.DUNNING_LEVELS_INVALID)
            elif unknown:
                errors.add(f"{key}-{name}", _("Level %(n)d: unknown placeholder(s) %(names)s; use %(known)s.") % {
                    "n": number, "names": ", ".join("{%s}" % u for u in unknown),
                    "known": ", ".join("{%s}" % p for p in PLACEHOLDERS)}, CreditError.DUNNING_LEVELS_INVALID)
        for name in ("email_customer", "board_task", "escalate_manager", "credit_hold"):
            values[name] = _bool(row.get(name))
        clean.append(values)
    holds = [v["level"] for v in clean if v["credit_hold"]]
    if len(holds) > 1:
        errors.add(f"level-{holds[1]}-credit_hold", _("Only one level puts the customer on credit hold."),
                   CreditError.DUNNING_LEVELS_INVALID)
    if errors:
        errors.raise_any()
    with transaction.atomic():
        before = {lv.level: lv for lv in DunningLevel.objects.select_for_update()}
        changes: dict[str, dict[str, str]] = {}
        saved = []
        for values in clean:
            old = before.pop(values["level"], None)
            for name in LEVEL_FIELDS:
                was = "" if old is None else str(getattr(old, name))
                if was != str(values[name]):
                    changes[f"{values['level']}.{name}"] = {"old": was[:200], "new": str(values[name])[:200]}
            level, _created = DunningLevel.objects.update_or_create(level=values["level"], defaults=values)
            saved.append(level)
        for gone in before.values():
            changes[f"{gone.level}"] = {"old": str(gone.days_overdue), "new": ""}
            gone.delete()
        if changes:
            publish(DunningLevelsChanged(actor=actor, level=saved[0], changes=changes))
    return saved


# --- the run ------------------------------------------------------------------------------------------


def overdue_items(today: dt.date, *, customer_ids=None):
    """Instalments of confirmed orders due before ``today`` with an open amount, each with
    ``disputed`` (open disputes) annotated — read in one query."""
    disputed = (Dispute.objects.filter(plan_item_id=OuterRef("pk"), settled_at__isnull=True)
                .values("plan_item_id").annotate(s=Sum("amount")).values("s"))
    qs = (PaymentPlanItem.objects.filter(live_orders_q("order__"), due_date__lt=today)
          .exclude(order__status=SalesOrder.Status.DRAFT)
          .filter(amount__gt=F("received_amount"))
          .annotate(disputed=Coalesce(Subquery(disputed), Value(Decimal("0")),
                                      output_field=DecimalField(max_digits=18, decimal_places=2)))
          .select_related("order").only("id", "kind", "amount", "received_amount", "due_date", "order__id",
                                        "order__number", "order__customer_id", "order__currency_id",
                                        "order__customer_po_no")
          .order_by("order__customer_id", "due_date", "id"))
    if customer_ids is not None:
        qs = qs.filter(order__customer_id__in=customer_ids)
    return qs


def dunnable(item) -> Decimal:
    """What of ``item`` may be dunned: open, less its open disputes."""
    return item.amount - item.received_amount - item.disputed


def level_for(levels: list[DunningLevel], days: int) -> DunningLevel | None:
    reached = [lv for lv in levels if days >= lv.days_overdue]
    return reached[-1] if reached else None


def finance_contact(customer: Customer) -> str:
    """Where the customer's reminders go (contacts prefetched)."""
    contacts = [c for c in customer.contacts.all() if c.email]
    for contact in contacts:
        title = (contact.title or "").lower()
        if any(word in title for word in FINANCE_TITLE_WORDS):
            return contact.email
    primary = [c.email for c in contacts if c.is_primary]
    if primary:
        return primary[0]
    return customer.email or ""


def customer_language(customer: Customer) -> str:
    return "zh-hans" if customer.country == "CN" else "en"


def _company(language: str) -> str:
    names = getattr(settings, "GENDAN_COMPANY_NAME", {}) or {}
    return names.get(language) or names.get("en") or ""


def _compose(level: DunningLevel, *, customer: Customer, language: str, rows: list[dict], overdue: dict,
             oldest: dt.date, days: int) -> tuple[str, str]:
    with translation.override(language):
        amount = ", ".join(format_money(Decimal(v), cur) for cur, v in sorted(overdue.items()))
        lines = [_("%(order)s (your PO %(po)s) %(kind)s %(amount)s, due %(due)s, %(days)d days overdue") % {
            "order": r["order"], "po": r["po"] or "—", "kind": str(PaymentPlanItem.Kind(r["kind"]).label),
            "amount": format_money(Decimal(r["amount"]), r["currency"]), "due": r["due"], "days": r["days"]}
            for r in rows]
        zh = language.startswith("zh")
        name = (customer.name_zh or customer.name_en) if zh else (customer.name_en or customer.name_zh)
        values = {"customer": name or customer.code, "amount": amount, "oldest_due": oldest.isoformat(),
                  "days": days, "orders": ", ".join(dict.fromkeys(r["order"] for r in rows)),
                  "items": "\n".join(f"- {line}" for line in lines), "company": _company(language)}
        subject = (level.subject_zh if zh else level.subject_en).format(**values)
        body = (level.body_zh if zh else level.body_en).format(**values)
    return " ".join(subject.split())[:200], body


def managers_for(customer: Customer, managers: list[User]) -> list[User]:
    """The managers of the customer's region or team; the general managers (no region) when none."""
    own = [m for m in managers if (customer.region_id and m.region_id == customer.region_id)
           or (customer.team_id and m.team_id == customer.team_id)]
    return own or [m for m in managers if m.region_id is None]


def _managers() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.MANAGER).exclude(email="").distinct())


def dunning_run(today: dt.date, actor: User | None = None) -> DunningRun | None:
    """Run the day's dunning (see the module). Returns the run, or None when it already ran today."""
    if actor is not None:
        require(actor, RUN, message=_("Only finance runs the dunning."))
    if DunningRun.objects.filter(run_on=today).exists():
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            run = DunningRun.objects.create(run_on=today, started_at=now, started_by=actor)
            _run(run, today=today, actor=actor, now=now)
    except IntegrityError:
        if DunningRun.objects.filter(run_on=today).exists():
            return None  # already run today (a second chase_run, or finance pressed twice)
        raise
    return run


def _run(run: DunningRun, *, today: dt.date, actor: User | None, now) -> None:
    levels = list(DunningLevel.objects.order_by("level"))
    by_customer: dict[int, list] = defaultdict(list)
    for item in overdue_items(today):
        if dunnable(item) > 0:
            by_customer[item.order.customer_id].append(item)
    customers = {c.pk: c for c in Customer.objects.filter(pk__in=list(by_customer)).prefetch_related("contacts")}
    credits = {c.customer_id: c for c in CustomerCredit.objects.select_for_update().filter(
        customer_id__in=list(by_customer))}
    last_mailed = {(row["customer_id"], row["level"]): row["last"] for row in (
        DunningNotice.objects.filter(customer_id__in=list(by_customer)).exclude(sent_to="")
        .values("customer_id", "level").annotate(last=Max("run__run_on")))}
    managers = _managers() if any(lv.escalate_manager for lv in levels) else []
    escalations: dict[int, list[int]] = defaultdict(list)
    mails: list[int] = []
    dunned: set[int] = set()
    for customer_id, items in by_customer.items():
        customer = customers[customer_id]
        oldest = items[0].due_date if len(items) == 1 else min(i.due_date for i in items)
        days = (today - oldest).days
        level = level_for(levels, days)
        if level is None:
            continue
        credit = credits.get(customer_id) or credit_of(customer_id, lock=True)
        previous = credit.dunning_level
        overdue: dict[str, Decimal] = defaultdict(Decimal)
        rows = []
        for item in items:
            amount = dunnable(item)
            overdue[item.order.currency_id] += amount
            rows.append({"plan_item": item.pk, "order_id": item.order_id, "order": item.order.number,
                         "po": item.order.customer_po_no, "kind": item.kind, "currency": item.order.currency_id,
                         "amount": str(amount), "due": item.due_date.isoformat(),
                         "days": (today - item.due_date).days})
        overdue_json = {cur: str(v) for cur, v in overdue.items()}
        language = customer_language(customer)
        subject, body = _compose(level, customer=customer, language=language, rows=rows, overdue=overdue_json,
                                 oldest=oldest, days=days)
        last = last_mailed.get((customer_id, level.level))
        mail_due = level.email_customer and (level.level > previous or last is None
                                             or (today - last).days >= REPEAT_DAYS)
        to = finance_contact(customer) if mail_due else ""
        DunningNotice.objects.filter(customer_id=customer_id, resolved_at__isnull=True).update(resolved_at=now)
        notice = DunningNotice.objects.create(
            run=run, customer=customer, level=level.level, overdue=overdue_json, oldest_due_date=oldest,
            days_overdue=days, items=rows, language=language, sent_to=to, subject=subject, body=body,
            email_error="" if to or not mail_due else _("The customer has no e-mail address."))
        dunned.add(customer_id)
        if to:
            mails.append(notice.pk)
        if level.escalate_manager:
            for manager in managers_for(customer, managers):
                escalations[manager.pk].append(notice.pk)
        credit.dunning_level, credit.last_dunned_on = level.level, today
        credit.save(update_fields=["dunning_level", "last_dunned_on", "updated_at"])
        if to or level.level != previous:  # the timeline gets what changed or was sent, not every day's repeat
            publish(DunningReminder(actor=actor, customer=customer, notice=notice))
        if level.credit_hold and not credit.on_hold:
            reached = max(i.due_date + dt.timedelta(days=level.days_overdue) for i in items
                          if (today - i.due_date).days >= level.days_overdue)
            if credit.lifted_at is None or reached > timezone.localtime(credit.lifted_at).date():
                hold_apply(credit=credit, customer=customer, actor=actor,
                           reason=f"{DUNNING_HOLD_PREFIX}{level.level}",
                           why=_("dunning level %(level)d, %(amount)s overdue since %(oldest)s") % {
                               "level": level.level, "oldest": oldest.isoformat(),
                               "amount": ", ".join(format_money(v, c) for c, v in sorted(overdue.items()))})
                run.holds_count += 1
    _clear(today=today, actor=actor, now=now, dunned=dunned)
    run.customers_count = len(by_customer)
    run.notices_count = len(dunned)
    run.save(update_fields=["customers_count", "notices_count", "holds_count"])
    from gendan.receivables import tasks

    for notice_id in mails:
        transaction.on_commit(lambda pk=notice_id: tasks.send_dunning_notice.enqueue(pk), robust=True)
    for manager_id, notice_ids in escalations.items():
        transaction.on_commit(lambda m=manager_id, ids=tuple(notice_ids): tasks.send_dunning_escalation.enqueue(
            m, run.pk, list(ids)), robust=True)


def _clear(*, today: dt.date, actor: User | None, now, dunned: set[int]) -> None:
    """Customers dunned before and not today: nothing overdue any more (or under the first level)."""
    stale = (CustomerCredit.objects.select_for_update().filter(dunning_level__gt=0)
             .exclude(customer_id__in=dunned).select_related("customer"))
    for credit in stale:
        credit.dunning_level = 0
        credit.save(update_fields=["dunning_level", "updated_at"])
        publish(DunningCleared(actor=actor, customer=credit.customer))
    (DunningNotice.objects.filter(resolved_at__isnull=True).exclude(customer_id__in=dunned)
     .update(resolved_at=now))


# --- e-mails (called by tasks after the commit) ----------------------------------------------------------


def dunning_notice_email(*, notice_id: int) -> bool:
    """Send a reminder's e-mail (idempotent: one already sent is not sent again)."""
    notice = DunningNotice.objects.filter(pk=notice_id).first()
    if notice is None or notice.email_sent_at or not notice.sent_to:
        return False
    email = EmailMessage(subject=notice.subject, body=notice.body, to=[notice.sent_to],
                         from_email=settings.DEFAULT_FROM_EMAIL)
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 — SMTP down: the reminder stays recorded with the error
        log.warning("dunning notice %s: e-mail failed: %s", notice.pk, exc)
        DunningNotice.objects.filter(pk=notice.pk).update(email_error=str(exc)[:300])
        return False
    DunningNotice.objects.filter(pk=notice.pk).update(email_sent_at=timezone.now(), email_error="")
    return True


def dunning_escalation_email(*, manager_id: int, run_id: int, notice_ids: list[int]) -> bool:
    """One e-mail to a manager listing the run's customers escalated to them, in the manager's language."""
    manager = User.objects.filter(pk=manager_id, is_active=True).exclude(email="").first()
    notices = list(DunningNotice.objects.filter(run_id=run_id, pk__in=notice_ids).select_related("customer", "run")
                   .order_by("-days_overdue"))
    if manager is None or not notices:
        return False
    with translation.override(manager.language or "zh-hans"):
        subject = _("Dunning %(day)s: %(n)d customer(s) escalated to you") % {
            "day": notices[0].run.run_on.isoformat(), "n": len(notices)}
        lines = [_("These customers reached a dunning level that escalates to the manager:"), ""]
        for n in notices:
            amount = ", ".join(format_money(Decimal(v), c) for c, v in sorted(n.overdue.items()))
            lines.append(_("- %(customer)s: level %(level)d, %(amount)s overdue, oldest due %(oldest)s "
                           "(%(days)d days)") % {"customer": f"{n.customer.code} {n.customer.display_name}",
                                                 "level": n.level, "amount": amount,
                                                 "oldest": n.oldest_due_date.isoformat(), "days": n.days_overdue})
        body = "\n".join(lines)
    try:
        EmailMessage(subject=subject, body=body, to=[manager.email],
                     from_email=settings.DEFAULT_FROM_EMAIL).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001
        log.warning("dunning escalation manager=%s run=%s: e-mail failed: %s", manager_id, run_id, exc)
        return False
    return True


def dunning_run_today(*, actor: User | None = None, today: dt.date | None = None) -> DunningRun | None:
    """``dunning_run`` for the company's today (chase_run, the "run now" button)."""
    return dunning_run(today or timezone.localdate(), actor=actor)


def notice_rows_text(notice: DunningNotice) -> list[dict[str, Any]]:
    """The reminder's instalments as stored (for pages)."""
    return list(notice.items or [])

