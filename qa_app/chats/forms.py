from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField
from wtforms.validators import DataRequired, Length

ENCODING_CHOICES = [
    ("utf-8", _l("UTF-8 (with or without BOM)")),
    ("gbk", _l("GBK (older Chinese Excel exports)")),
]


class UploadForm(FlaskForm):
    file = FileField(_l("Chat export file"), validators=[FileRequired(_l("Choose a file to upload."))])
    encoding = SelectField(_l("Encoding"), choices=ENCODING_CHOICES, default="utf-8")
    replace = BooleanField(_l("Replace chats that are already stored"))
    skip_invalid = BooleanField(_l("Skip malformed chats and list them in a rejects report"))


class MapNicknameForm(FlaskForm):
    shop_id = IntegerField(validators=[DataRequired()])
    nickname = HiddenField(validators=[DataRequired(), Length(max=64)])
    user_id = SelectField(_l("Agent"), coerce=int, validators=[DataRequired()], choices=[])
