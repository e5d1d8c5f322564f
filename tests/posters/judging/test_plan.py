"""The automatic assignment plan: even loads, distinct judges, topics kept together,
conflicts skipped, the same plan for the same input."""

from __future__ import annotations

from collections import Counter

from posters.judging.plan import PlanPoster, plan_assignments


def _posters(topics: list[str]) -> list[PlanPoster]:
    return [PlanPoster(i + 1, topic, i + 1, f"P{i + 1}") for i, topic in enumerate(topics)]


def test_every_poster_gets_n_distinct_judges_and_loads_differ_by_at_most_one() -> None:
    posters = _posters(["IFN"] * 4 + ["IL-6"] * 4 + ["JAK-STAT"] * 3)
    plan = plan_assignments(
        posters=posters, judges=[10, 11, 12], per_poster=2, existing={}, conflict=lambda j, p: False
    )
    per_poster = Counter(p for _, p in plan.pairs)
    assert per_poster == {p.id: 2 for p in posters}
    assert len(set(plan.pairs)) == len(plan.pairs) == 22
    loads = Counter(j for j, _ in plan.pairs)
    assert sorted(loads.values()) == [7, 7, 8]
    assert plan.unfilled == {}


def test_judges_get_posters_of_few_topics() -> None:
    posters = _posters(["IFN"] * 6 + ["IL-6"] * 6 + ["JAK-STAT"] * 6)
    plan = plan_assignments(
        posters=posters, judges=[1, 2, 3], per_poster=1, existing={}, conflict=lambda j, p: False
    )
    topic = {p.id: p.topic for p in posters}
    topics = {j: {topic[p] for jj, p in plan.pairs if jj == j} for j in (1, 2, 3)}
    assert topics == {1: {"IFN"}, 2: {"IL-6"}, 3: {"JAK-STAT"}}


def test_the_same_input_gives_the_same_plan() -> None:
    posters = _posters(["b", "a", "c", "a", "b", "c", "a"])

    def plan(given: list[PlanPoster]) -> list[tuple[int, int]]:
        return plan_assignments(
            posters=given,
            judges=[3, 1, 2, 4],
            per_poster=3,
            existing={},
            conflict=lambda j, p: p == 2 and j == 1,
        ).pairs

    assert plan(posters) == plan(list(reversed(posters)))
    assert (1, 2) not in plan(posters)


def test_conflicts_are_swapped_away_or_left_unfilled() -> None:
    posters = _posters(["IFN"] * 6)
    # Judge 1 conflicts with posters 1-3: swaps keep every load.
    plan = plan_assignments(
        posters=posters,
        judges=[1, 2],
        per_poster=1,
        existing={},
        conflict=lambda j, p: j == 1 and p <= 3,
    )
    assert all(not (j == 1 and p <= 3) for j, p in plan.pairs)
    assert Counter(j for j, _ in plan.pairs) == {1: 3, 2: 3}
    assert plan.unfilled == {}
    # Nobody may judge poster 6: it is reported short of both judges.
    blocked = plan_assignments(
        posters=posters, judges=[1, 2], per_poster=2, existing={}, conflict=lambda j, p: p == 6
    )
    assert all(p != 6 for _, p in blocked.pairs)
    assert blocked.unfilled == {6: 2}


def test_existing_assignments_count() -> None:
    posters = _posters(["IFN"] * 4)
    plan = plan_assignments(
        posters=posters,
        judges=[1, 2],
        per_poster=1,
        existing={1: frozenset({1, 2})},
        conflict=lambda j, p: False,
    )
    assert sorted(plan.pairs) == [(2, 3), (2, 4)]
