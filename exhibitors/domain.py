"""The exhibitors domain as the app factory wires it in (``conference.domains.Domain``)."""

from __future__ import annotations

import exhibitors.models
from conference.domains import Domain
from conference.extensions import Extensions
from conference.jobs.kinds import JobKinds
from conference.settings import Settings
from exhibitors import demo, router


def extend(extensions: Extensions, settings: Settings, jobs: JobKinds) -> None:
    extensions.demo_seeders.append(demo.seed_sponsors)
    extensions.home_sections.append(router.sponsors_home_section)


def domain() -> Domain:
    """The exhibitors domain."""
    return Domain(name="exhibitors", models=(exhibitors.models,), extend=extend)
