from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..ui.forms import EmptyForm, MultiCheckboxField  # noqa: F401  (the domain's views import them here)
from ..ui.inputs import DATE_LIMITS, SaneDate

CATEGORY_CHOICES = [
    ("products", _l("Products")),
    ("communication", _l("Communication")),
    ("complaint_handling", _l("Complaint handling")),
    ("after_sales", _l("After-sales policy")),
    ("platform_rules", _l("Platform rules")),
]
TYPE_CHOICES = [
    ("single", _l("Single choice")),
    ("multiple", _l("Multiple choice")),
    ("true_false", _l("True / false")),
    ("ordering", _l("Ordering")),
]


class CourseMetaForm(FlaskForm):
    category = SelectField(_l("Category"), choices=CATEGORY_CHOICES)
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    summary_zh = TextAreaField(_l("Summary (Chinese)"), validators=[Length(max=5000)])
    summary_en = TextAreaField(_l("Summary (English)"), validators=[Length(max=5000)])
    estimated_minutes = IntegerField(
        _l("Estimated minutes"), default=30, validators=[DataRequired(), NumberRange(1, 1000)]
    )
    pass_mark = IntegerField(_l("Pass mark (%)"), default=80, validators=[NumberRange(0, 100)])
    max_attempts = IntegerField(
        _l("Attempts allowed (0 = unlimited)"), default=3, validators=[NumberRange(0, 100)]
    )
    cooloff_minutes = IntegerField(
        _l("Wait after a failed attempt (minutes)"), default=30, validators=[NumberRange(0, 100000)]
    )
    show_answers = SelectField(
        _l("Right answers and explanations on the result"),
        default="final",
        choices=[
            ("final", _l("Only after a pass or the last attempt")),
            ("always", _l("After every attempt")),
        ],
    )


class NewCourseForm(CourseMetaForm):
    slug = StringField(
        _l("Slug (used in links, e.g. refund-rules)"), validators=[DataRequired(), Length(max=64)]
    )


class LessonForm(FlaskForm):
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    minutes = IntegerField(_l("Minutes"), default=5, validators=[NumberRange(0, 600)])
    body_zh = TextAreaField(_l("Text (Chinese, Markdown)"), validators=[Length(max=100000)])
    body_en = TextAreaField(_l("Text (English, Markdown)"), validators=[Length(max=100000)])


class QuestionForm(FlaskForm):
    key = StringField(
        _l("Key (stable across versions, e.g. refund-days)"), validators=[DataRequired(), Length(max=100)]
    )
    type = SelectField(_l("Type"), choices=TYPE_CHOICES)
    points = IntegerField(_l("Points"), default=1, validators=[NumberRange(1, 100)])
    prompt_zh = TextAreaField(_l("Question (Chinese)"), validators=[Length(max=5000)])
    prompt_en = TextAreaField(_l("Question (English)"), validators=[Length(max=5000)])
    choices_zh = TextAreaField(_l("Choices (Chinese, one per line)"), validators=[Length(max=10000)])
    choices_en = TextAreaField(_l("Choices (English, one per line)"), validators=[Length(max=10000)])
    correct = StringField(_l("Right choices (numbers, e.g. 2 or 1,3)"), validators=[Length(max=100)])
    true_false = SelectField(
        _l("Right answer (true / false questions)"), choices=[("true", _l("True")), ("false", _l("False"))]
    )
    explanation_zh = TextAreaField(_l("Explanation (Chinese)"), validators=[Length(max=5000)])
    explanation_en = TextAreaField(_l("Explanation (English)"), validators=[Length(max=5000)])


class AssignForm(FlaskForm):
    target = SelectField(
        _l("Course or learning path"),
        choices=[],
        validators=[DataRequired(message=_l("Choose a course or a path."))],
    )
    users = MultiCheckboxField(_l("Agents"), choices=[], coerce=int)
    teams = MultiCheckboxField(_l("Whole teams"), choices=[], coerce=int)
    due_on = DateField(_l("Due date"), validators=[Optional(), SaneDate()], render_kw=DATE_LIMITS)
