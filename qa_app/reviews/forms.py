from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .labels import POLARITY_LABELS, SENTIMENT_LABELS

ENCODINGS = [("utf-8", _l("UTF-8 (with or without BOM)")), ("gbk", "GBK")]


class ImportForm(FlaskForm):
    file = FileField(
        _l("Review export (CSV or JSON Lines)"), validators=[FileRequired(_l("Choose a file to upload."))]
    )
    encoding = SelectField(_l("Encoding"), choices=ENCODINGS, default="utf-8")
    skip_invalid = BooleanField(_l("Skip bad lines and import the rest (they are listed)"))


class ClassificationForm(FlaskForm):
    sentiment = SelectField(_l("Sentiment"), choices=list(SENTIMENT_LABELS.items()))
    service_polarity = SelectField(_l("About the service"), choices=list(POLARITY_LABELS.items()))
    evidence = StringField(_l("Evidence (a fragment of the text)"), validators=[Optional(), Length(max=2000)])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(_l("Say why.")), Length(max=2000)])


class AttributionForm(FlaskForm):
    agent_id = SelectField(_l("Agent"), coerce=int, choices=[])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(_l("Say why.")), Length(max=2000)])


class ConfirmForm(FlaskForm):
    """One click: the classifier's verdict is right (CSRF only)."""


class FollowUpForm(FlaskForm):
    """Move a follow-up case on; closing it needs the written result."""

    status = SelectField(_l("New status"), choices=[])
    result = TextAreaField(_l("Result"), validators=[Optional(), Length(max=2000)])
