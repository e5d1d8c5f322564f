"""Everything one app instance holds: built by the factory, kept on ``app.state.ctx``."""

from __future__ import annotations

from dataclasses import dataclass, field

from conference.accounts.passwords import Passwords
from conference.accounts.tokens import Tokens
from conference.db.engine import Database
from conference.extensions import Extensions
from conference.jobs.kinds import JobKinds
from conference.jobs.runner import JobRunner
from conference.mail import Mailer
from conference.metrics import Metrics
from conference.program.published.page_cache import RenderCache
from conference.program.published.program import ProgramCache
from conference.realtime.registry import Realtime
from conference.settings import Settings
from conference.web.templates import Pages


@dataclass
class AppContext:
    settings: Settings
    db: Database
    passwords: Passwords
    tokens: Tokens
    mailer: Mailer
    realtime: Realtime
    pages: Pages
    metrics: Metrics
    extensions: Extensions
    programs: ProgramCache
    # The job kinds the domains registered, and this process's runner (started in the
    # lifespan when ``inline_worker``; ``conference worker`` starts one alone).
    jobs: JobKinds
    job_runner: JobRunner
    # Program pages rendered once per version and shared between viewers.
    program_pages: RenderCache = field(default_factory=RenderCache)
