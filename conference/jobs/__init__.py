"""Background jobs: one durable queue in the database for every kind of work.

Domains register their kinds (:class:`conference.jobs.kinds.JobKind`) on the app's
:class:`~conference.jobs.kinds.JobKinds` in main.py; the core runs them all by the same
rules (:mod:`conference.jobs.runner`) and shows them to organizers on the console's Jobs
page (:mod:`conference.jobs.console`). Why a queue of our own rather than a job library:
docs/JOBS.md.
"""
