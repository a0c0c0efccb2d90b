"""Reads of inspections, first articles, samples and quality profiles, scoped to the user:
anything belonging to an order is visible to whoever may see the order."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from gendan.accounts.models import User
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_queryset
from gendan.quality.models import FirstArticle, Inspection, QualityProfile, Sample, SampleRound, SampleSignoff
from gendan.sales.selectors import ALL_ORDERS_ROLES, order_link_columns, order_queryset


def _orders(user: User):
    return order_queryset(user).values("pk")


def inspection_queryset(user: User) -> QuerySet[Inspection]:
    if not user.is_authenticated or not user.has_perm("quality.view_inspection"):
        return Inspection.objects.none()
    return Inspection.objects.filter(sales_order__in=_orders(user)).select_related(
        "sales_order__customer", "booked_by", "result_by", "reinspection_of")


def inspection_get_for_user(*, user: User, pk: int) -> Inspection:
    try:
        return inspection_queryset(user).prefetch_related(
            "production_orders", "reinspections").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404("No such inspection.") from None


def first_article_queryset(user: User) -> QuerySet[FirstArticle]:
    if not user.is_authenticated or not user.has_perm("quality.view_firstarticle"):
        return FirstArticle.objects.none()
    return FirstArticle.objects.filter(sales_order__in=_orders(user)).select_related(
        "production_order__supplier", "sales_order__customer", "qc_signed_by", "sales_signed_by")


def first_article_get_for_user(*, user: User, pk: int) -> FirstArticle:
    try:
        return first_article_queryset(user).prefetch_related("items").get(pk=pk)
    except (FirstArticle.DoesNotExist, ValueError, TypeError):
        raise Http404("No such first article.") from None


def sample_queryset(user: User) -> QuerySet[Sample]:
    if not user.is_authenticated or not user.has_perm("quality.view_sample"):
        return Sample.objects.none()
    return Sample.objects.filter(sales_order__in=_orders(user)).select_related(
        "sales_order__customer", "production_order")


def sample_get_for_user(*, user: User, pk: int) -> Sample:
    try:
        return sample_queryset(user).prefetch_related(
            Prefetch("rounds", queryset=SampleRound.objects.prefetch_related("signoffs__signed_by"))).get(pk=pk)
    except (Sample.DoesNotExist, ValueError, TypeError):
        raise Http404("No such sample.") from None


def profile_customers(user: User):
    """Customers whose quality profile ``user`` may open: the departments serving every order
    see every customer; the others their customer scope."""
    if not user.is_authenticated or not user.has_perm("quality.view_qualityprofile"):
        return Customer.objects.none()
    if user.is_superuser or user.has_role(*ALL_ORDERS_ROLES):
        return Customer.objects.select_related("quality_profile")
    return customer_queryset(user).select_related("quality_profile")


def quality_profile_of(customer) -> QualityProfile:
    """The customer's profile, or the usual defaults (unsaved) when none was set."""
    try:
        return customer.quality_profile
    except QualityProfile.DoesNotExist:
        return QualityProfile(customer=customer)


# --- sample sign-offs due (seed 001 第五篇 六: 签样时间就控制在3个工作日内) -----------------------

SIGN_PERMS = {SampleSignoff.Department.SALES: "quality.sign_sample_sales",
              SampleSignoff.Department.QC: "quality.sign_sample_qc",
              SampleSignoff.Department.ENGINEERING: "quality.sign_sample_engineering"}


def signoffs_due(*, user: User, until: dt.date, limit: int) -> list[tuple[SampleRound, list[str]]]:
    """The current rounds of samples out for comments, received, whose comments are due by
    ``until``, still missing a sign-off of a department ``user`` signs for — with those
    departments. Two queries (the rounds, their sign-offs), whatever the number of samples."""
    departments = [d for d, perm in SIGN_PERMS.items() if user.has_perm(perm)]
    if not departments:
        return []
    later = SampleRound.objects.filter(sample=OuterRef("sample"), round_no__gt=OuterRef("round_no"))
    rounds = (SampleRound.objects.filter(sample__in=sample_queryset(user), sample__status=Sample.Status.SENT,
                                         received_on__isnull=False, comments_due_on__lte=until)
              .exclude(Exists(later)).select_related("sample__sales_order__customer")
              # only what the board's line shows (tracking.sample_chase): not two wide rows per round
              .only("id", "round_no", "received_on", "comments_due_on", "sample_id", "sample__id", "sample__kind",
                    "sample__needs_engineering", "sample__sales_order_id", *order_link_columns("sample__sales_order"))
              .prefetch_related(Prefetch("signoffs", queryset=SampleSignoff.objects.only("id", "round_id", "department")))
              .order_by("comments_due_on", "pk")[:limit * 3])
    due = []
    for r in rounds:
        needed = [d for d in departments
                  if d != SampleSignoff.Department.ENGINEERING or r.sample.needs_engineering]
        missing = [d for d in needed if d not in {s.department for s in r.signoffs.all()}]
        if missing:
            due.append((r, missing))
        if len(due) == limit:
            break
    return due
