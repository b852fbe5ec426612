from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..ui.forms import EmptyForm, MultiCheckboxField  # noqa: F401  (the domain's views import them here)

ROLE_CHOICES = [
    ("agent", _l("Agent")),
    ("trainer", _l("Trainer")),
    ("qa", _l("QA specialist")),
    ("lead", _l("Team lead")),
    ("admin", _l("Administrator")),
]
LOCALE_CHOICES = [("", _l("Follow the browser")), ("zh_CN", "简体中文"), ("en", "English")]


PLAUSIBLE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_address(form, field) -> None:
    """One @ and a dot in the domain, no spaces. (WTForms' Email() needs the email_validator
    package, which we don't install: it turned every non-empty address into a 500.)"""
    if field.data and not PLAUSIBLE_EMAIL.match(field.data):
        raise ValidationError(_l("Invalid email address."))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in"))


class UserForm(FlaskForm):
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=200), email_address])
    roles = MultiCheckboxField(
        _l("Roles"), choices=ROLE_CHOICES, validators=[DataRequired(message=_l("Choose at least one role."))]
    )
    team_id = SelectField(_l("Team"), coerce=int, choices=[])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)


class NewUserForm(UserForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=2, max=64),
            Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Letters, digits, dot, dash and underscore only.")),
        ],
    )
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])


class NicknameForm(FlaskForm):
    shop_id = SelectField(_l("Shop"), coerce=int, choices=[])
    nickname = StringField(_l("Nickname customers see"), validators=[DataRequired(), Length(max=64)])


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])
    lead_id = SelectField(_l("Team lead"), coerce=int, choices=[])


PHRASE_LIMIT = 200


def phrase_lines(form, field) -> None:
    """A phrase list: each line one phrase of at most PHRASE_LIMIT characters, naming the line."""
    for number, line in enumerate((field.data or "").splitlines(), 1):
        if len(line.strip()) > PHRASE_LIMIT:
            raise ValidationError(
                _l("Line %(n)s is longer than %(limit)s characters.", n=number, limit=PHRASE_LIMIT)
            )


class ShopForm(FlaskForm):
    name = StringField(_l("Shop name"), validators=[DataRequired(), Length(max=120)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    first_response_limit_seconds = IntegerField(
        _l("First-response limit (seconds)"), validators=[DataRequired(), NumberRange(5, 86400)]
    )
    forbidden_phrases = TextAreaField(
        _l("Forbidden phrases (one per line)"), validators=[Length(max=20000), phrase_lines]
    )
    accepted_openers = TextAreaField(
        _l("Accepted openers (one per line)"), validators=[Length(max=20000), phrase_lines]
    )
    allowed_templates = TextAreaField(
        _l("Allowed templates (one per line)"), validators=[Length(max=20000), phrase_lines]
    )
    closing_phrases = TextAreaField(
        _l("Closing phrases (one per line)"),
        validators=[DataRequired(_l("Enter at least one closing phrase.")), Length(max=20000), phrase_lines],
    )


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("zh_CN", "简体中文"), ("en", "English")])
