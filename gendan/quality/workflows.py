"""The allowed state changes of inspections, first articles and samples, one service per
transition (``quality/services/``). Read with docs/workflows/inspection.md and
samples-and-first-article.md (a test keeps their tables equal to these). A transition not in a
table is refused with ``TransitionNotAllowed`` (409); the guards (``quality.rules``) ask the
tables, not lists of states.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.quality.models import FirstArticle, Inspection, Sample

IS, F, S = Inspection.Status, FirstArticle.Status, Sample.Status

_INSPECTIONS = "gendan.quality.services.inspections."
INSPECTION = Workflow("inspection", Inspection, label=_("inspection"), transitions={
    # a class over its Ac fails it (and books the re-inspection, a new inspection linked to it)
    (IS.BOOKED, IS.PASSED): _INSPECTIONS + "inspection_record_result",
    (IS.BOOKED, IS.FAILED): _INSPECTIONS + "inspection_record_result",
    (IS.BOOKED, IS.CANCELLED): _INSPECTIONS + "inspection_cancel",
})

_FIRST_ARTICLES = "gendan.quality.services.first_articles."
FIRST_ARTICLE = Workflow("first_article", FirstArticle, label=_("first article"), doc="samples-and-first-article",
                         transitions={
    (F.OPEN, F.APPROVED): _FIRST_ARTICLES + "first_article_sign",  # the second of QC's and sales' signatures
    (F.OPEN, F.REJECTED): _FIRST_ARTICLES + "first_article_reject",  # the next round is a new first article
})

_SAMPLES = "gendan.quality.services.samples."
SAMPLE = Workflow("sample", Sample, label=_("sample"), doc="samples-and-first-article", transitions={
    (S.REQUESTED, S.SENT): _SAMPLES + "sample_send",
    (S.REJECTED, S.SENT): _SAMPLES + "sample_send",  # the next round
    (S.SENT, S.APPROVED): _SAMPLES + "sample_sign",  # every required department approved
    (S.SENT, S.REJECTED): _SAMPLES + "sample_sign",  # one department rejected
    (S.REQUESTED, S.CANCELLED): _SAMPLES + "sample_cancel",
    (S.SENT, S.CANCELLED): _SAMPLES + "sample_cancel",
    (S.REJECTED, S.CANCELLED): _SAMPLES + "sample_cancel",
})

# A round of the sample is out: it is received and signed off (the states the sign-off leaves from).
ROUND_OUT = SAMPLE.sources(S.APPROVED, S.REJECTED)
