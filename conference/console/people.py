"""Console pages for the people of the program: search, create, edit, delete.

A program of 400 sessions names well over a thousand people, so the list is searched
and paged rather than shown whole.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts import service as accounts
from conference.accounts.pages import countries
from conference.console import service
from conference.console.web import ConsoleRoute, ConsoleUser, Id, render, see_other, small_id
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.program.draft import people
from conference.program.models import Meeting, Person
from conference.program.schemas import PersonIn, PersonUpdate
from conference.realtime.channels import moderators_changed
from conference.web.forms import read_form, validate

router = APIRouter(prefix="/console/people", route_class=ConsoleRoute, include_in_schema=False)

PAGE_SIZE = 50
FIELDS = ("name", "affiliation", "country", "biography", "photo_url", "account_email")
NOTICES = {
    "created": "The person was added.",
    "saved": "The person was saved.",
    "deleted": "The person was deleted.",
}


async def _values(db: AsyncSession, person: Person | None) -> dict[str, str]:
    if person is None:
        return dict.fromkeys(FIELDS, "")
    return {
        "name": person.name,
        "affiliation": person.affiliation,
        "country": person.country,
        "biography": person.biography,
        "photo_url": person.photo_url,
        "account_email": await service.account_email(db, person=person),
    }


async def _read(
    request: Request, db: AsyncSession
) -> tuple[dict[str, str], PersonIn | None, dict[str, str]]:
    form = await read_form(request)
    values = {field: form.get(field, "") for field in FIELDS}
    user_id = None
    errors: dict[str, str] = {}
    if values["account_email"].strip():
        account = await accounts.get_user_by_email(db, email=values["account_email"])
        if account is None:
            errors["account_email"] = "No account has this email address."
        else:
            user_id = account.id
    data, invalid = validate(
        PersonIn,
        {
            **{f: values[f] for f in FIELDS if f != "account_email"},
            "country": values["country"].strip().upper(),
            "user_id": user_id,
        },
    )
    errors = {**invalid, **errors}
    return values, (data if not errors else None), errors


def _page(
    request: Request,
    user: ConsoleUser,
    meeting: Meeting,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        template,
        {"countries": countries(), **context},
        user=user,
        meeting=meeting,
        section="people",
        status_code=status_code,
    )


@router.get("", name="console_people")
async def list_page(
    request: Request,
    user: ConsoleUser,
    db: DbSession,
    meeting: CurrentMeeting,
    q: str = "",
    page: str = "1",
    done: str = "",
) -> Response:
    """People by name, a page at a time, with a search."""
    # Junk in the address shows the first page rather than an error.
    q = q.strip()[:100]
    number = min(small_id(page) or 1, 1_000_000)
    found, total = await people.list_people(
        db, query=q, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    context = {
        "people": found,
        "total": total,
        "q": q,
        "page": number,
        "pages": pages,
        "previous": urlencode({"q": q, "page": number - 1}) if number > 1 else None,
        "next": urlencode({"q": q, "page": number + 1}) if number < pages else None,
        "notice": NOTICES.get(done),
    }
    return _page(request, user, meeting, "console/people.html", context)


@router.get("/new", name="console_person_new")
async def new_page(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    context = {"person": None, "form": await _values(db, None), "errors": {}}
    return _page(request, user, meeting, "console/person_form.html", context)


@router.post("/new")
async def create(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    values, data, errors = await _read(request, db)
    if data is not None:
        try:
            await people.create_person(db, data=data)
        except ServiceError as exc:
            errors = {exc.field or "name": exc.detail}
        else:
            return see_other("/console/people?done=created")
    context = {"person": None, "form": values, "errors": errors}
    return _page(request, user, meeting, "console/person_form.html", context, 422)


@router.get("/{person_id}", name="console_person")
async def edit_page(
    request: Request, person_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    person = await service.get_person(db, person_id=person_id)
    context = {"person": person, "form": await _values(db, person), "errors": {}}
    return _page(request, user, meeting, "console/person_form.html", context)


@router.post("/{person_id}")
async def save(
    request: Request,
    person_id: Id,
    user: ConsoleUser,
    db: DbSession,
    meeting: CurrentMeeting,
    ctx: Context,
) -> Response:
    person = await service.get_person(db, person_id=person_id)
    values, data, errors = await _read(request, db)
    if data is not None:
        try:
            await people.update_person(
                db, person_id=person_id, data=PersonUpdate(**data.model_dump())
            )
        except ServiceError as exc:
            errors = {exc.field or "name": exc.detail}
        else:
            await moderators_changed(ctx)
            return see_other("/console/people?done=saved")
    context = {"person": person, "form": values, "errors": errors}
    return _page(request, user, meeting, "console/person_form.html", context, 422)


@router.get("/{person_id}/delete", name="console_person_delete")
async def delete_page(
    request: Request, person_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    person = await service.get_person(db, person_id=person_id)
    chairs, talks = await service.person_parts(db, person=person)
    context = {
        "what": "person",
        "name": person.name,
        "details": f"Chairs {chairs} session(s), speaks in {talks} talk(s)",
        "consequence": "They are taken off every session they chair and every talk they "
        "speak in. A linked account is not deleted.",
        "action": f"/console/people/{person.id}/delete",
        "cancel": f"/console/people/{person.id}",
    }
    return _page(request, user, meeting, "console/confirm_delete.html", context)


@router.post("/{person_id}/delete")
async def delete(person_id: Id, user: ConsoleUser, db: DbSession, ctx: Context) -> Response:
    await people.delete_person(db, person_id=person_id)
    await moderators_changed(ctx)
    return see_other("/console/people?done=deleted")
