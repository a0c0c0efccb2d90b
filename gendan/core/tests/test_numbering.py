"""Document numbers: pattern, period reset, validation, gap-free under rollback and concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from gendan.core.errors import ValidationFailed
from gendan.core.models import Sequence, SequenceCounter
from gendan.core.numbering import (
    number_next,
    number_next_block,
    sequence_preview,
    sequence_validate,
)

NOV_30 = dt.date(2026, 11, 30)
DEC_1 = dt.date(2026, 12, 1)


@pytest.fixture
def order_sequence(db):
    return Sequence.objects.create(
        code="t_order", name_zh="销售订单", name_en="Sales order", prefix="SO",
        pattern="{PREFIX}{YY}{MM}-{SEQ}", padding=4, reset=Sequence.Reset.MONTHLY,
    )


def test_pattern_gives_prefix_year_month_and_padded_counter(order_sequence):
    assert number_next(code="t_order", on_date=NOV_30) == "SO2611-0001"
    assert number_next(code="t_order", on_date=NOV_30) == "SO2611-0002"


def test_counter_grows_past_its_padding_instead_of_wrapping(db):
    Sequence.objects.create(code="t_pi", name_zh="PI", name_en="PI", prefix="PI", pattern="{PREFIX}{SEQ}",
                            padding=1, reset=Sequence.Reset.NEVER)
    numbers = [number_next(code="t_pi") for _ in range(11)]
    assert numbers[0] == "PI1"
    assert numbers[-1] == "PI11"
    assert len(set(numbers)) == 11


def test_monthly_counter_restarts_in_a_new_month_and_never_repeats(order_sequence):
    november = [number_next(code="t_order", on_date=NOV_30) for _ in range(3)]
    december = number_next(code="t_order", on_date=DEC_1)
    late_november = number_next(code="t_order", on_date=NOV_30)  # a back-dated document

    assert november == ["SO2611-0001", "SO2611-0002", "SO2611-0003"]
    assert december == "SO2612-0001"
    assert late_november == "SO2611-0004"
    assert len({*november, december, late_november}) == 5


def test_yearly_counter_restarts_in_a_new_year(db):
    Sequence.objects.create(code="t_contract", name_zh="合同", name_en="Contract", prefix="HT",
                            pattern="{PREFIX}{YYYY}-{SEQ}", padding=3, reset=Sequence.Reset.YEARLY)
    assert number_next(code="t_contract", on_date=dt.date(2026, 3, 1)) == "HT2026-001"
    assert number_next(code="t_contract", on_date=dt.date(2026, 12, 31)) == "HT2026-002"
    assert number_next(code="t_contract", on_date=dt.date(2027, 1, 1)) == "HT2027-001"


def test_a_counter_that_never_resets_runs_on_across_years(db):
    assert number_next(code="customer", on_date=dt.date(2026, 12, 31)) == "C00001"
    assert number_next(code="customer", on_date=dt.date(2027, 1, 1)) == "C00002"


@pytest.mark.parametrize(
    ("pattern", "reset", "padding", "field"),
    [
        ("{PREFIX}-{SEQ}", "monthly", 4, "pattern"),  # no year, no month: 0001 comes back every month
        ("{PREFIX}{MM}-{SEQ}", "monthly", 4, "pattern"),  # no year: repeats next November
        ("{PREFIX}{YY}-{SEQ}", "monthly", 4, "pattern"),  # no month: repeats in every month of a year
        ("{PREFIX}-{SEQ}", "yearly", 4, "pattern"),  # no year: repeats every year
        ("{PREFIX}{YY}{MM}", "never", 4, "pattern"),  # no counter at all
        ("{PREFIX}{DD}-{SEQ}", "never", 4, "pattern"),  # unknown placeholder
        ("{PREFIX}{SEQ}", "never", 0, "padding"),
        ("{PREFIX}{SEQ}", "never", 11, "padding"),
    ],
)
def test_sequence_validate_refuses_patterns_that_repeat_numbers(pattern, reset, padding, field):
    with pytest.raises(ValidationFailed) as exc:
        sequence_validate(pattern=pattern, reset=reset, padding=padding)
    assert field in exc.value.fields


@pytest.mark.parametrize(
    ("pattern", "reset"),
    [
        ("{PREFIX}{YY}{MM}-{SEQ}", "monthly"),
        ("{PREFIX}{YYYY}{MM}{SEQ}", "monthly"),
        ("{PREFIX}{YYYY}-{SEQ}", "yearly"),
        ("{PREFIX}{SEQ}", "never"),
    ],
)
def test_sequence_validate_accepts_patterns_that_cannot_repeat(pattern, reset):
    sequence_validate(pattern=pattern, reset=reset, padding=4)


def test_rolled_back_document_gives_its_number_back(order_sequence):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_next(code="t_order", on_date=NOV_30) == "SO2611-0001"
        raise RuntimeError("the document could not be saved")

    assert number_next(code="t_order", on_date=NOV_30) == "SO2611-0001"
    assert SequenceCounter.objects.get(sequence=order_sequence).last_value == 1


def test_failed_customer_create_gives_its_number_back(make_user):
    from gendan.parties.services import customer_create

    manager = make_user("manager")
    with pytest.raises(ValidationFailed):
        customer_create(actor=manager, data={"name_en": "", "country": "US"})  # no name: refused

    customer = customer_create(actor=manager, data={"name_en": "Acme", "country": "US"})
    assert customer.code == "C00001"


def test_number_next_refuses_to_run_outside_a_transaction():
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="inside the document's transaction"):
        number_next(code="customer")
    with pytest.raises(RuntimeError):
        number_next_block(code="customer", count=3)


def test_unknown_sequence_is_a_clear_error(db):
    with pytest.raises(ValidationFailed, match="no-such-thing"):
        number_next(code="no-such-thing")


def test_preview_shows_the_next_number_without_allocating_it(order_sequence):
    assert sequence_preview(code="t_order", on_date=NOV_30) == "SO2611-0001"
    assert sequence_preview(code="t_order", on_date=NOV_30) == "SO2611-0001"
    assert number_next(code="t_order", on_date=NOV_30) == "SO2611-0001"
    assert sequence_preview(code="t_order", on_date=NOV_30) == "SO2611-0002"


def test_block_allocation_is_consecutive_and_single_allocations_continue_after_it(order_sequence):
    block = number_next_block(code="t_order", count=3, on_date=NOV_30)
    assert block == ["SO2611-0001", "SO2611-0002", "SO2611-0003"]
    assert number_next(code="t_order", on_date=NOV_30) == "SO2611-0004"


# --- PostgreSQL: many people saving numbered documents at the same moment -------------

THREADS = 8
PER_THREAD = 10


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_allocation_is_unique_and_gap_free(django_user_model):
    """8 clerks save 10 suppliers each at once; every third save fails and rolls back.
    The committed suppliers carry exactly S00001 … S00080: no duplicate, no gap."""
    from django.contrib.contenttypes.models import ContentType

    from gendan.parties.models import Supplier
    from gendan.parties.services import supplier_create

    # A transactional test starts from a flushed database: make sure the reference rows exist.
    Sequence.objects.get_or_create(code="supplier", defaults={
        "name_zh": "供应商编号", "name_en": "Supplier code", "prefix": "S", "pattern": "{PREFIX}{SEQ}",
        "padding": 5, "reset": Sequence.Reset.NEVER})
    ContentType.objects.get_for_model(Supplier)
    actor_id = django_user_model.objects.create_superuser("numbering-admin", password="x" * 12).pk
    start = SequenceCounter.objects.filter(sequence__code="supplier").values_list("last_value", flat=True).first() or 0

    barrier = threading.Barrier(THREADS)
    committed: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    class Rollback(Exception):
        pass

    def clerk(index: int) -> None:
        try:
            actor = django_user_model.objects.get(pk=actor_id)
            barrier.wait(timeout=30)
            for n in range(PER_THREAD + PER_THREAD // 2):
                try:
                    with transaction.atomic():
                        supplier = supplier_create(actor=actor, data={
                            "kind": Supplier.Kind.MATERIAL_SUPPLIER, "name_zh": f"并发供应商 {index}-{n}",
                            "country": "CN"})
                        if n % 3 == 2:
                            raise Rollback  # the rest of the document failed: its number goes back
                except Rollback:
                    continue
                with lock:
                    committed.append(supplier.code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    per_thread = len([n for n in range(PER_THREAD + PER_THREAD // 2) if n % 3 != 2])
    total = THREADS * per_thread
    assert len(committed) == total
    assert len(set(committed)) == total, "a number was given out twice"
    values = sorted(int(code.removeprefix("S")) for code in committed)
    assert values == list(range(start + 1, start + total + 1)), "a number was skipped"
    stored = sorted(Supplier.objects.values_list("code", flat=True))
    assert stored == sorted(committed)
    assert SequenceCounter.objects.get(sequence__code="supplier", period="all").last_value == start + total
