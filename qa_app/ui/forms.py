"""Form pieces every domain uses: the CSRF-only form of POST buttons and a group of checkboxes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets


class EmptyForm(FlaskForm):
    """For buttons that POST and forms whose fields the view reads: the CSRF token only."""


class OptionalCheckbox(widgets.CheckboxInput):
    """A box in a group: never `required` on its own, or browsers would demand that every box
    be ticked; "at least one" is checked on the server by the field's validator."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("required", False)
        return super().__call__(field, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = OptionalCheckbox()
