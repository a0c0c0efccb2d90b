"""Re-issued versions of a document sent to a partner (a production order to its factory, a purchase
order to its supplier): what the versions have in common, whoever owns them.

A change order re-issues a document as version N+1: its changes are kept line by line (old → new),
the versions still open are superseded, a PDF marked "Version N — supersedes version N-1" is
e-mailed to the partner after commit, and the partner's answer (re-acknowledged or refused) is
recorded on the version. Each owner keeps what is its own — which documents a change touches, what
changes for its partner, the words of its e-mail, what an answer does to the document, its
workflow (``<app>.workflows.VERSION``) — and calls these helpers for the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.errors import CoreError, TransitionNotAllowed, ValidationFailed
from gendan.core.events import bilingual

ChangeLines = Callable[[list[dict]], list[str]]


class ReissuedVersion(models.Model):
    """Version 2, 3 … of a document after a change order: its number, reason and changes, who
    issued it, the e-mail to the partner and the partner's re-acknowledgement. A concrete version
    adds the link to its document (``related_name="versions"``), its PDF, the partner's answer
    (``reack_reason``, named for the partner) and what that answer brings."""

    class Reack(models.TextChoices):
        AWAITING = "awaiting", _("awaiting re-acknowledgement")
        REFUSED = "refused", pgettext_lazy("re-acknowledgement", "refused")
        ACCEPTED = "accepted", pgettext_lazy("re-acknowledgement", "accepted")
        SUPERSEDED = "superseded", _("superseded by a later version")

    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # [{"line": n (0: the whole document), "field": a key of the owner's VERSION_FIELDS, "old": str, "new": str}]
    changes = models.JSONField(_("changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("issued by"))
    sent_to = models.CharField(_("e-mailed to"), max_length=400, blank=True)
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)
    reack_status = models.CharField(_("re-acknowledgement"), max_length=12, choices=Reack.choices,
                                    default=Reack.AWAITING)
    reack_at = models.DateTimeField(_("re-acknowledged at"), null=True, blank=True)
    reack_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("recorded by"))

    class Meta:
        abstract = True


# --- what changed, in words -------------------------------------------------------------------


def changes_in_both_languages(change_lines: ChangeLines, changes: list[dict]) -> tuple[list[str], list[str]]:
    """Return the changes as ``change_lines`` words them, in Chinese and in English."""
    with translation.override("zh-hans"):
        zh = change_lines(changes)
    with translation.override("en"):
        en = change_lines(changes)
    return zh, en


def changes_param(change_lines: ChangeLines, changes: list[dict]) -> dict:
    """Return the changes as a timeline parameter kept in both languages ("; " between them)."""
    zh, en = changes_in_both_languages(change_lines, changes)
    return bilingual("; ".join(zh), "; ".join(en))


# --- the re-issue -----------------------------------------------------------------------------


def versions_supersede_open(versions: models.QuerySet, *, workflow, open_states) -> None:
    """Mark every version of ``versions`` still open (``open_states``: awaiting or refused)
    superseded, through the owner's ``workflow``. Call inside the transaction holding the
    document's lock, before its new version is created."""
    for open_version in versions.select_for_update().filter(reack_status__in=open_states):
        workflow.move(open_version, ReissuedVersion.Reack.SUPERSEDED)
        open_version.save(update_fields=["reack_status"])


# --- the e-mail to the partner ----------------------------------------------------------------


def version_email_body(*, change_lines: ChangeLines, changes: list[dict], greeting: str, zh_intro: str,
                       zh_ask: str, en_intro: str, en_ask: str) -> str:
    """Return the e-mail of a version: the greeting, then in Chinese and in English what happened,
    the changes one per line and what the partner is asked to do; signed with the company's name."""
    zh, en = changes_in_both_languages(change_lines, changes)
    company = settings.GENDAN_COMPANY_NAME
    return "\n".join([
        greeting,
        "",
        zh_intro,
        *[f"  · {text}" for text in zh],
        zh_ask,
        "",
        en_intro,
        *[f"  · {text}" for text in en],
        en_ask,
        "",
        str(company.get("zh-hans", company["en"])),
    ])


def version_email_send(version: ReissuedVersion, *, to: list[str], no_address: str, subject: str, body: str,
                       filename: str, log: logging.Logger, what: str) -> None:
    """E-mail ``version``'s PDF (as ``filename``) to ``to`` and keep the outcome on the version:
    when and to whom it was sent, or why not (``no_address`` when there is nobody to send it to;
    the mail server's error, logged as ``what`` — the version stands and its page shows the error).
    The caller has checked the version has a PDF and was not sent yet."""
    rows = type(version).objects.filter(pk=version.pk)
    if not to:
        rows.update(email_error=no_address)
        return
    email = EmailMessage(subject=subject, body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL)
    with version.pdf.open("rb") as fh:
        email.attach(filename, fh.read(), "application/pdf")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # mail server down: the version stands, the page shows the error
        log.warning("%s version %s: email failed: %s", what, version.number, exc)
        rows.update(email_error=str(exc)[:300], sent_to=", ".join(to)[:400])
        return
    rows.update(email_sent_at=timezone.now(), email_error="", sent_to=", ".join(to)[:400])


# --- the partner's re-acknowledgement ---------------------------------------------------------


def answer_date_check(value: dt.date | None, *, field: str, message: str) -> None:
    """Refuse a date the partner gave with its answer (``field``) that is not a date
    (``validation_failed``) or is in the past (``date_in_past``: a rule against today's date), with
    ``message``; ``None`` (no new date) passes."""
    if value is None:
        return
    if not isinstance(value, dt.date):
        raise ValidationFailed(message, fields={field: message})
    if value < timezone.localdate():
        raise ValidationFailed(message, code=CoreError.DATE_IN_PAST, fields={field: message})


def version_latest_for_update(versions: models.QuerySet, *, missing: str) -> ReissuedVersion:
    """Return the latest of ``versions``, locked; refuse with ``missing`` when there is none."""
    version = versions.select_for_update().order_by("-number").first()
    if version is None:
        raise TransitionNotAllowed(missing)
    return version


def version_answer_record(version: ReissuedVersion, *, workflow, status: str, actor, reason: str,
                          **fields) -> None:
    """Move ``version`` to the partner's answer (``status``, through the owner's ``workflow``)
    and keep who recorded it, when, the partner's words (``reason``, cut at 300 characters) and
    the owner's own ``fields`` (a committed date, a new ETA). Call holding the document's lock."""
    workflow.move(version, status)
    version.reack_at, version.reack_by, version.reack_reason = timezone.now(), actor, reason[:300]
    for name, value in fields.items():
        setattr(version, name, value)
    version.save(update_fields=["reack_status", "reack_at", "reack_by", "reack_reason", *fields])
