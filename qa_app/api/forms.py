from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..ui.forms import MultiCheckboxField
from .models import SCOPES


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=120)])
    scopes = MultiCheckboxField(
        _l("Scopes"),
        choices=[(s, s) for s in SCOPES],
        validators=[DataRequired(message=_l("Choose at least one scope."))],
    )
