"""The job runner with a kind registered by a test, on SQLite and PostgreSQL: claim, run in a
child, retry after a crash, fail for good, stale heartbeats, and no job claimed twice."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from conference.db.engine import Database
from conference.db.types import utcnow
from conference.jobs.kinds import JobKind, JobKinds
from conference.jobs.models import Job, JobPriority
from conference.jobs.runner import JobRunner
from conference.settings import Settings
from tests.jobs.sample import (
    SAMPLE,
    Outcomes,
    all_jobs,
    ctx_of,
    enqueue,
    job_row,
    runner,
    sample_kind,
    wait_for,
)
from tests.waiting import wait_until_awaited


async def _set_job(app: FastAPI, job_id: int, **values: object) -> None:
    async with ctx_of(app).db.session() as db:
        await db.execute(update(Job).where(Job.id == job_id).values(**values))
        await db.commit()


async def test_a_job_is_claimed_run_in_a_child_and_recorded(
    app: FastAPI, outcomes: Outcomes
) -> None:
    job_id = await enqueue(app, numbers=[2, 3, 5])
    queued = await job_row(app, job_id)
    assert (queued.kind, queued.state, queued.attempts, queued.max_attempts) == (
        SAMPLE,
        "queued",
        0,
        3,
    )
    assert (queued.payload, queued.subject) == ({"numbers": [2, 3, 5]}, "numbers:sample")

    mine = runner(app)
    assert await mine.run_once(ctx_of(app).db) is True
    job = await job_row(app, job_id)
    assert (job.state, job.attempts, job.progress, job.error) == ("done", 1, 100.0, "")
    assert job.worker == mine.name
    assert job.finished_at is not None
    assert outcomes.succeeded == [(job_id, {"sum": 10})]
    assert outcomes.cleaned == [(job_id, True)]
    assert outcomes.failed == []
    assert await mine.run_once(ctx_of(app).db) is False


async def test_a_crashed_child_is_retried_and_completes(app: FastAPI, outcomes: Outcomes) -> None:
    job_id = await enqueue(app, numbers=[1, 1], crash_attempts=1)
    mine = runner(app)
    assert await mine.run_once(ctx_of(app).db) is True
    job = await job_row(app, job_id)
    assert (job.state, job.attempts, job.worker, job.progress) == ("queued", 1, "", 0.0)
    assert job.error.startswith("The adder was killed by signal 9.")
    assert outcomes.succeeded == []
    assert outcomes.cleaned == []

    # Any runner takes it next: here another one, as another process would.
    assert await runner(app).run_once(ctx_of(app).db) is True
    job = await job_row(app, job_id)
    assert (job.state, job.attempts, job.progress) == ("done", 2, 100.0)
    assert outcomes.succeeded == [(job_id, {"sum": 2})]


async def test_every_attempt_crashing_fails_the_job_and_tells_its_kind(
    app: FastAPI, outcomes: Outcomes
) -> None:
    job_id = await enqueue(app, numbers=[1], crash_attempts=99)
    mine = runner(app)
    for attempt in (1, 2, 3):
        assert await mine.run_once(ctx_of(app).db) is True
        assert (await job_row(app, job_id)).attempts == attempt
    job = await job_row(app, job_id)
    assert job.state == "failed"
    assert job.finished_at is not None
    [(failed_id, error)] = outcomes.failed
    assert failed_id == job_id
    assert error == job.error
    assert error.startswith("The adder was killed by signal 9.")
    assert outcomes.cleaned == [(job_id, False)]
    assert await mine.run_once(ctx_of(app).db) is False


async def test_bad_input_fails_at_once_with_the_childs_words(
    app: FastAPI, outcomes: Outcomes
) -> None:
    job_id = await enqueue(app, numbers=[], bad=True)
    assert await runner(app).run_once(ctx_of(app).db) is True
    job = await job_row(app, job_id)
    assert (job.state, job.attempts) == ("failed", 1)
    assert job.error == "The adder failed (exit status 65). These are not numbers."
    assert outcomes.failed == [(job_id, job.error)]


async def test_a_runner_claims_only_the_kinds_it_knows(app: FastAPI, outcomes: Outcomes) -> None:
    job_id = await enqueue(app, numbers=[4])
    # The app's own kinds (transcode) plus the sample; a runner knowing only transcode
    # leaves the sample job alone, as an older worker process would.
    transcode_only = JobKinds()
    transcode_only.register(ctx_of(app).jobs.get("transcode"))
    async with ctx_of(app).db.session() as db:
        assert await JobRunner(transcode_only).claim(db) is None
        assert await JobRunner(JobKinds()).claim(db) is None
    assert (await job_row(app, job_id)).state == "queued"
    assert await runner(app).run_once(ctx_of(app).db) is True
    assert outcomes.succeeded == [(job_id, {"sum": 4})]


async def test_work_someone_waits_for_goes_before_bulk_work(
    app: FastAPI, outcomes: Outcomes
) -> None:
    bulk = [await enqueue(app, numbers=[n], priority=JobPriority.bulk) for n in (1, 2)]
    waited_for = await enqueue(app, numbers=[3])
    for _ in range(3):
        assert await runner(app).run_once(ctx_of(app).db) is True
    assert [job_id for job_id, _ in outcomes.succeeded] == [waited_for, *bulk]


async def test_a_stale_job_is_queued_again_or_failed_when_out_of_attempts(
    app: FastAPI, outcomes: Outcomes
) -> None:
    first = await enqueue(app, numbers=[1])
    second = await enqueue(app, numbers=[2])
    mine = runner(app)
    async with ctx_of(app).db.session() as db:
        claimed = await mine.claim(db)
        assert claimed is not None
        assert (claimed.id, claimed.kind, claimed.attempts) == (first, SAMPLE, 1)
        # Its heartbeat is fresh: nobody takes it.
        assert await runner(app).requeue_stale(db) == 0
    long_ago = utcnow() - timedelta(seconds=JobRunner.stale_seconds + 1)
    await _set_job(app, first, heartbeat_at=long_ago)
    await _set_job(
        app, second, state="running", attempts=3, worker="gone:1:abc", heartbeat_at=long_ago
    )
    async with ctx_of(app).db.session() as db:
        assert await runner(app).requeue_stale(db) == 2
    job = await job_row(app, first)
    assert (job.state, job.attempts, job.worker) == ("queued", 1, "")
    assert job.error == f"The worker {mine.name} stopped responding."
    job = await job_row(app, second)
    assert job.state == "failed"
    assert outcomes.failed == [(second, "The worker gone:1:abc stopped responding.")]


async def test_the_progress_a_child_reports_is_on_the_job_while_it_runs(
    app: FastAPI, outcomes: Outcomes, settings: Settings
) -> None:
    release = settings.var_dir / "release"
    job_id = await enqueue(app, numbers=[7], hold=str(release))
    mine = runner(app)
    mine.heartbeat_seconds = 0.05
    await mine.start(ctx_of(app).db)
    try:
        running = await wait_for(app, job_id, lambda j: j.progress == 50.0)
        assert (running.state, running.worker, running.attempts) == ("running", mine.name, 1)
        release.touch()
        done = await wait_for(app, job_id, lambda j: j.state == "done")
        assert done.progress == 100.0
    finally:
        await mine.stop()
    assert outcomes.succeeded == [(job_id, {"sum": 7})]


async def test_stopping_the_runner_gives_the_job_back_uncounted(
    app: FastAPI, outcomes: Outcomes, settings: Settings
) -> None:
    job_id = await enqueue(app, numbers=[7], hold=str(settings.var_dir / "never"))
    mine = runner(app)
    await mine.start(ctx_of(app).db)
    await wait_for(app, job_id, lambda j: j.state == "running" and mine.child_pid is not None)
    await mine.stop()
    job = await job_row(app, job_id)
    assert (job.state, job.attempts, job.worker, job.error) == ("queued", 0, "", "")
    assert mine.child_pid is None
    assert (outcomes.succeeded, outcomes.failed) == ([], [])


async def test_a_heartbeat_in_flight_when_the_runner_stops_still_ends(
    app: FastAPI, outcomes: Outcomes, settings: Settings
) -> None:
    """Stopping cancels the runner while a heartbeat is inside its transaction (the kind's
    progress hook is waiting): the beat finishes and commits, then the job goes back."""
    in_hook = asyncio.Event()
    go_on = asyncio.Event()
    finished: list[float] = []

    async def progressed(_db: object, _job: object, progress: float) -> None:
        in_hook.set()
        await go_on.wait()
        finished.append(progress)

    kinds = JobKinds()
    kinds.register(replace(sample_kind(outcomes), progressed=progressed))
    mine = JobRunner(kinds)
    mine.heartbeat_seconds = 0.05
    job_id = await enqueue(app, numbers=[7], hold=str(settings.var_dir / "never"))
    await mine.start(ctx_of(app).db)
    await wait_until_awaited(lambda: _set(in_hook), "a heartbeat to reach the progress hook")
    stopping = asyncio.create_task(mine.stop())
    # The child is killed once the beat has been cancelled: only then may the hook go on.
    await wait_until_awaited(
        lambda: _true(mine.child_pid is None), "the stop to kill the job's child"
    )
    go_on.set()
    await stopping
    # The beat ended (whatever progress it carried: 0 % or the child's 50 %).
    assert len(finished) == 1
    job = await job_row(app, job_id)
    assert (job.state, job.attempts, job.worker) == ("queued", 0, "")
    assert mine.child_pid is None


async def _set(event: asyncio.Event) -> bool | None:
    return True if event.is_set() else None


async def _true(condition: bool) -> bool | None:
    return True if condition else None


async def test_two_runners_never_claim_one_job_twice(
    app: FastAPI, outcomes: Outcomes, settings: Settings
) -> None:
    ids = [await enqueue(app, numbers=[n]) for n in range(8)]
    # Two engines, as two worker processes would have, claiming as fast as they can.
    other_db = Database(settings.database_url)
    first, second = runner(app), runner(app)
    taken: dict[str, list[int]] = {first.name: [], second.name: []}

    async def drain(who: JobRunner, database: Database) -> None:
        while True:
            async with database.session() as db:
                job = await who.claim(db)
            if job is None:
                return
            taken[who.name].append(job.id)

    try:
        await asyncio.gather(drain(first, ctx_of(app).db), drain(second, other_db))
    finally:
        await other_db.dispose()
    claimed = taken[first.name] + taken[second.name]
    assert sorted(claimed) == ids
    jobs = await all_jobs(app)
    assert [(j.state, j.attempts) for j in jobs] == [("running", 1)] * len(ids)
    assert all(j.worker == next(n for n, got in taken.items() if j.id in got) for j in jobs)


def test_a_kind_is_registered_once() -> None:
    kinds = JobKinds()
    kind = sample_kind(Outcomes())
    kinds.register(kind)
    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(JobKind(name=SAMPLE, label="Other", command=lambda _job: []))
    assert kinds.names() == [SAMPLE]
    assert kinds.get(SAMPLE) is kind
