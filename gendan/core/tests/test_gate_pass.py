"""A question two gates of one action ask of one object is read once per check (``per_gate_pass``):
receivables' credit hold and credit limit on confirming both read the customer's credit row."""

from __future__ import annotations

from gendan.core.gates import Gate, GateSet, per_gate_pass
from gendan.core.guards import OK


def _gates(reads: list[str]) -> GateSet:
    def row(obj):
        return per_gate_pass(("row", obj), lambda: reads.append(obj) or {"on_hold": False})

    gates = GateSet("thing")
    gates.register(Gate(key="hold", actions={"confirm"}, check=lambda obj: OK if not row(obj)["on_hold"] else None))
    gates.register(Gate(key="limit", actions={"confirm"}, check=lambda obj: OK if row(obj) is not None else None,
                        rank=60))
    return gates


def test_two_gates_of_one_check_read_once_and_the_next_check_reads_again():
    reads: list[str] = []
    gates = _gates(reads)
    assert gates.check("confirm", "a")
    assert reads == ["a"]
    assert gates.check("confirm", "a") and gates.refusals("confirm", "b") == []
    assert reads == ["a", "a", "b"]  # each check and each list of refusals reads afresh


def test_outside_a_check_every_call_reads():
    reads: list[str] = []
    for _ in range(2):
        per_gate_pass(("row", "a"), lambda: reads.append("a"))
    assert reads == ["a", "a"]
