"""What the accounts API accepts and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from conference.accounts.models import ConsentKind, Role, User
from conference.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from conference.limits import NoControlCharacters
from conference.timezones import is_valid_zone


def _time_zone(value: str) -> str:
    if not is_valid_zone(value):
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London")
    return value


def _country(value: str) -> str:
    value = value.upper()
    if value and pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"unknown country code {value!r}; use ISO 3166 alpha-2, such as GB")
    return value


def _email(value: str) -> str:
    # test_environment admits the reserved ``.test`` domain the demo accounts use; no DNS
    # lookup is made, so registration never waits on the network.
    try:
        checked = validate_email(value.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from exc
    return checked.normalized.lower()


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControlCharacters
]
Affiliation = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=300), NoControlCharacters
]
Country = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2), AfterValidator(_country)
]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
NewPassword = Annotated[
    str, StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)
]
AnyPassword = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Registration(StrictModel):
    name: Name
    email: Email
    password: NewPassword
    affiliation: Affiliation = ""
    country: Country = ""
    time_zone: TimeZone = "Europe/London"
    is_healthcare_professional: bool = False
    consents: dict[ConsentKind, bool] = Field(default_factory=dict)


class RegistrationConfirm(StrictModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=512)]
    # The password chosen when registering (see conference.accounts.pending.confirm).
    password: AnyPassword


class SignIn(StrictModel):
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)]
    password: AnyPassword


class ProfileUpdate(StrictModel):
    name: Name | None = None
    affiliation: Affiliation | None = None
    country: Country | None = None
    time_zone: TimeZone | None = None
    is_healthcare_professional: bool | None = None
    consents: dict[ConsentKind, bool] | None = None


class PasswordChange(StrictModel):
    current_password: AnyPassword
    new_password: NewPassword


class PasswordResetRequest(StrictModel):
    email: Email


class PasswordResetConfirm(StrictModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=512)]
    new_password: NewPassword


class AccountDeletion(StrictModel):
    password: AnyPassword


class RolesUpdate(StrictModel):
    roles: Annotated[list[Role], Field(min_length=1, max_length=len(Role))]


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    affiliation: str
    country: str
    time_zone: str
    is_healthcare_professional: bool
    roles: list[Role]
    consents: dict[ConsentKind, bool]
    created_at: datetime


class CsrfOut(BaseModel):
    csrf_token: str
    header_name: str = "X-CSRF-Token"


class Message(BaseModel):
    detail: str


class UserSummary(BaseModel):
    id: int
    email: str
    name: str
    affiliation: str
    country: str
    roles: list[Role]

    @classmethod
    def from_user(cls, user: User) -> UserSummary:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            affiliation=user.affiliation,
            country=user.country,
            roles=sorted(user.role_set),
        )


class UserPage(BaseModel):
    items: list[UserSummary]
    total: int
