from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length

from .models import SCOPES


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=120)])
    scopes = SelectMultipleField(_l("Scopes"), choices=[(s, s) for s in SCOPES],
                                 validators=[DataRequired(message=_l("Choose at least one scope."))],
                                 widget=widgets.ListWidget(prefix_label=False),
                                 option_widget=widgets.CheckboxInput())
