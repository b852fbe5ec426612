from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..ui.forms import EmptyForm  # noqa: F401  (the domain's views import it here)
from ..ui.inputs import DATE_LIMITS, SaneDate
from .formula import COMPONENTS

COMPONENT_LABELS = {
    "qa": _l("QA score"),
    "training": _l("Training"),
    "reviews": _l("Customer reviews"),
    "service": _l("Service metrics"),
}

PRIORITY_LABELS = {
    "top": _l("Show at most (agents)"),
    "low": _l("Component below"),
    "gap": _l("Points below the team mean, at least"),
    "drop": _l("Fallen since the previous period by at least (points)"),
}


class NoteForm(FlaskForm):
    praise = TextAreaField(_l("What went well"), validators=[Optional(), Length(max=4000)])
    criticism = TextAreaField(_l("What must improve"), validators=[Optional(), Length(max=4000)])


class CoachingForm(FlaskForm):
    agent_id = SelectField(_l("Agent"), coerce=int, validators=[DataRequired()])
    held_on = DateField(_l("Held on"), validators=[DataRequired(), SaneDate()], render_kw=DATE_LIMITS)
    criterion_keys = SelectMultipleField(_l("Criteria discussed"), validators=[Optional()])
    # choices: the agent's own recent chats and reviews (coaching_form.offer), ticked in a table
    chat_ids = SelectMultipleField(_l("Chats discussed"), coerce=int, validators=[Optional()])
    review_ids = SelectMultipleField(_l("Reviews discussed"), coerce=int, validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[DataRequired(), Length(max=8000)])
    actions = TextAreaField(_l("Agreed actions"), validators=[Optional(), Length(max=4000)])
    follow_up_on = DateField(_l("Follow up on"), validators=[Optional(), SaneDate()], render_kw=DATE_LIMITS)


class PriorityForm(FlaskForm):
    """A lead's thresholds for the coaching list (priority.PrioritySettings)."""

    top = IntegerField(PRIORITY_LABELS["top"], validators=[InputRequired(), NumberRange(min=1, max=50)])
    low = FloatField(PRIORITY_LABELS["low"], validators=[InputRequired(), NumberRange(min=0, max=100)])
    gap = FloatField(PRIORITY_LABELS["gap"], validators=[InputRequired(), NumberRange(min=0, max=100)])
    drop = FloatField(PRIORITY_LABELS["drop"], validators=[InputRequired(), NumberRange(min=1, max=100)])


class SettingsForm(FlaskForm):
    pass


for _key in COMPONENTS:
    setattr(
        SettingsForm,
        f"weight_{_key}",
        FloatField(COMPONENT_LABELS[_key], validators=[Optional(), NumberRange(min=0, max=1000)]),
    )
    setattr(
        SettingsForm,
        f"minimum_{_key}",
        IntegerField(COMPONENT_LABELS[_key], validators=[Optional(), NumberRange(min=1, max=100000)]),
    )
