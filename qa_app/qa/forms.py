from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..ui.forms import EmptyForm, MultiCheckboxField  # noqa: F401  (the domain's views import them here)
from ..ui.inputs import DATE_LIMITS, SaneDate


class RubricForm(FlaskForm):
    slug = StringField(_l("Slug (file name)"), validators=[DataRequired(), Length(max=64)])
    toml = TextAreaField(_l("Rubric (TOML)"), validators=[DataRequired(), Length(max=200_000)])


class PlanForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    rubric_id = SelectField(_l("Rubric"), coerce=int, validators=[DataRequired()])
    mode = SelectField(
        _l("How many"),
        choices=[
            ("per_agent", _l("N chats per agent per week")),
            ("percent", _l("A percentage of each agent's chats")),
        ],
    )
    per_agent_per_week = IntegerField(
        _l("Chats per agent per week"), validators=[Optional(), NumberRange(1, 100)]
    )
    percent = DecimalField(_l("Percentage"), places=1, validators=[Optional(), NumberRange(0.1, 100)])
    spotlight_percent = DecimalField(
        _l("Spotlight share (%)"), places=0, default=30, validators=[Optional(), NumberRange(0, 100)]
    )
    date_from = DateField(_l("From"), validators=[DataRequired(), SaneDate()], render_kw=DATE_LIMITS)
    date_to = DateField(_l("To"), validators=[DataRequired(), SaneDate()], render_kw=DATE_LIMITS)
    shop_id = SelectField(_l("Shop"), coerce=int, choices=[])
    channel = SelectField(_l("Channel"), choices=[], validators=[Optional()])
    tags = StringField(_l("Tags (comma-separated, any of)"), validators=[Optional(), Length(max=300)])
    failed_check = SelectField(_l("Automatic checks"), choices=[])
    negative_review = SelectField(
        _l("Customer review"),
        choices=[("", _l("Any")), ("1", _l("Only chats whose order got a negative review"))],
    )
    min_messages = IntegerField(
        _l("Long chats: at least this many messages"), validators=[Optional(), NumberRange(1, 10_000)]
    )
    grader_ids = MultiCheckboxField(_l("QA specialists (none ticked: all)"), coerce=int, choices=[])
    seed = IntegerField(
        _l("Random seed (empty: a new one)"), validators=[Optional(), NumberRange(1, 2**31 - 1)]
    )


class CalibrationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    rubric_id = SelectField(_l("Rubric"), coerce=int, validators=[DataRequired()])
    grader_ids = MultiCheckboxField(_l("Graders"), coerce=int, choices=[])
    chat_count = IntegerField(
        _l("Number of chats"), default=5, validators=[DataRequired(), NumberRange(1, 50)]
    )


class DisputeForm(FlaskForm):
    reason = TextAreaField(_l("Why do you disagree?"), validators=[DataRequired(), Length(max=4000)])


class ResolveForm(FlaskForm):
    outcome = SelectField(
        _l("Decision"),
        choices=[
            ("upheld", _l("Upheld: the score stands")),
            ("changed", _l("Changed: the score was corrected")),
        ],
    )
    note = TextAreaField(_l("Explanation for the agent"), validators=[DataRequired(), Length(max=4000)])


class WindowForm(FlaskForm):
    days = IntegerField(
        _l("Dispute window (days after submission)"), validators=[InputRequired(), NumberRange(0, 365)]
    )
