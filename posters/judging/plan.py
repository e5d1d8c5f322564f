"""The automatic assignment of judges to posters: a pure function, so it is tested alone.

The algorithm (deterministic: the same input gives the same plan):

1. Each poster needs ``per_poster`` judges; those it already has count, so the plan only
   fills the missing slots.
2. Loads: the new slots are dealt one at a time to the judge whose load (existing plus
   planned) is lowest, ties to the judge listed first. Final loads therefore differ by at
   most one whenever the existing assignments allow it.
3. Posters are sorted by topic, then board, and written out once per missing slot round
   (round 1: every poster missing at least one judge, round 2: those missing two, ...).
   This sequence is cut into consecutive runs, one per judge in the judges' order, each as
   long as that judge's share. A run is a stretch of neighbouring posters, so a judge gets
   posters of one topic or of a few adjacent ones. A run is never longer than one round
   when loads are even and there are at least ``per_poster`` judges, so no judge gets the
   same poster twice (McNaughton's wrap-around rule).
4. Repair: a slot that cannot stand (the judge has a conflict of interest with the poster,
   is already assigned to it, or got it twice) is swapped with a slot of another judge
   where both sides can stand, which keeps every load. A slot no swap can fix is left
   empty and reported: the poster keeps fewer judges than asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlanPoster:
    id: int
    topic: str
    board_order: int
    board: str


@dataclass
class Plan:
    # (judge id, poster id) pairs to assign, judge by judge in run order.
    pairs: list[tuple[int, int]] = field(default_factory=list)
    # Posters left with fewer judges than asked, and how many are missing.
    unfilled: dict[int, int] = field(default_factory=dict)


def plan_assignments(
    *,
    posters: Sequence[PlanPoster],
    judges: Sequence[int],
    per_poster: int,
    existing: Mapping[int, frozenset[int]],
    conflict: Callable[[int, int], bool],
) -> Plan:
    """Plan new (judge, poster) pairs: ``existing`` maps a judge to the posters they
    already judge (counted in their load); ``conflict(judge, poster)`` says a pair may not
    be made. See the module's docstring for the algorithm."""
    judges = list(dict.fromkeys(judges))
    ordered = sorted(posters, key=lambda p: (p.topic.casefold(), p.board_order, p.board, p.id))
    have = dict.fromkeys((p.id for p in ordered), 0)
    for held in existing.values():
        for poster_id in held:
            if poster_id in have:
                have[poster_id] += 1
    missing = {p.id: max(0, per_poster - have[p.id]) for p in ordered}
    sequence = [p.id for round_ in range(per_poster) for p in ordered if missing[p.id] > round_]
    loads = {j: len(existing.get(j, frozenset())) for j in judges}
    # A judge never gets more slots than posters they may take (conflicts, held ones).
    takeable = {
        j: sum(
            1
            for pid, n in missing.items()
            if n and not conflict(j, pid) and pid not in existing.get(j, frozenset())
        )
        for j in judges
    }
    shares = dict.fromkeys(judges, 0)
    for _ in sequence:
        free = [j for j in judges if shares[j] < takeable[j]]
        if not free:
            break
        lightest = min(free, key=lambda j: (loads[j] + shares[j], judges.index(j)))
        shares[lightest] += 1
    runs: dict[int, list[int]] = {}
    start = 0
    for judge in judges:
        runs[judge] = sequence[start : start + shares[judge]]
        start += shares[judge]

    def fits(judge: int, poster_id: int, run: list[int], skip: int | None) -> bool:
        if conflict(judge, poster_id) or poster_id in existing.get(judge, frozenset()):
            return False
        return all(other != poster_id for i, other in enumerate(run) if i != skip)

    for judge in judges:
        run = runs[judge]
        for index, poster_id in enumerate(run):
            if poster_id == 0 or fits(judge, poster_id, run, index):
                continue
            run[index] = _swap(judge, index, poster_id, runs, judges, fits)
    placed: dict[int, int] = {}
    for run in runs.values():
        for poster_id in run:
            if poster_id:
                placed[poster_id] = placed.get(poster_id, 0) + 1
    # Slots no swap could fix go to the least loaded judge who may take the poster.
    for poster in ordered:
        while placed.get(poster.id, 0) < missing[poster.id]:
            able = [j for j in judges if fits(j, poster.id, runs[j], None)]
            if not able:
                break
            chosen = min(
                able,
                key=lambda j: (loads[j] + sum(1 for x in runs[j] if x), judges.index(j)),
            )
            runs[chosen].append(poster.id)
            placed[poster.id] = placed.get(poster.id, 0) + 1
    plan = Plan()
    for judge in judges:
        plan.pairs.extend((judge, poster_id) for poster_id in runs[judge] if poster_id)
    plan.unfilled = {
        pid: n - placed.get(pid, 0) for pid, n in missing.items() if n > placed.get(pid, 0)
    }
    return plan


def _swap(
    judge: int,
    index: int,
    poster_id: int,
    runs: dict[int, list[int]],
    judges: list[int],
    fits: Callable[[int, int, list[int], int | None], bool],
) -> int:
    """Swap the bad slot with another judge's; the poster id now in the slot, or 0 when
    the slot stays empty."""
    mine = runs[judge]
    for other in judges:
        if other == judge:
            continue
        theirs = runs[other]
        for k, candidate in enumerate(theirs):
            if candidate == 0 or candidate == poster_id:
                continue
            if fits(judge, candidate, mine, index) and fits(other, poster_id, theirs, k):
                theirs[k] = poster_id
                return candidate
    return 0
