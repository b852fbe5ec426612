"""Navigation entries and home-page panels that each domain contributes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy string, translated when the menu renders
    endpoint: str
    roles: tuple[str, ...]
    order: int = 50

    def visible_to(self, user) -> bool:
        return user.is_authenticated and user.has_any_role(*self.roles)


@dataclass(frozen=True)
class HomePanel:
    """A box on the home page for users holding one of `roles`.

    `context` receives the current user and returns the template's variables.
    """

    title: object
    template: str
    roles: tuple[str, ...]
    context: Callable[[object], dict] = field(default=lambda user: {})
    order: int = 50

    def visible_to(self, user) -> bool:
        return user.has_any_role(*self.roles)


@dataclass(frozen=True)
class NavMenu:
    """A drop-down in the top bar: the items of one area the user may open."""

    key: str
    label: object
    items: tuple[NavItem, ...]

    def contains(self, endpoint: str | None) -> bool:
        return any(item.endpoint == endpoint for item in self.items)


# Areas of the top bar, keyed by blueprint; admin-only pages (order 90 and up) form their own
# area so that an administrator sees five menus instead of sixteen links on two lines.
MENU_LABELS = {
    "training": _l("Training"),
    "work": _l("Chats & reviews"),
    "quality": _l("Quality"),
    "evaluations": _l("Evaluations"),
    "admin": _l("Administration"),
}
_AREA_OF_BLUEPRINT = {
    "training": "training",
    "chats": "work",
    "reviews": "work",
    "qa": "quality",
    "evaluations": "evaluations",
}
ADMIN_ORDER = 90


def area_of(item: NavItem) -> str:
    if item.order >= ADMIN_ORDER:
        return "admin"
    # an item outside the known areas stays a link of its own
    return _AREA_OF_BLUEPRINT.get(item.endpoint.split(".")[0], item.endpoint)


def menus(items: list[NavItem]) -> list[NavItem | NavMenu]:
    """The user's items grouped by area, in the order of each area's first item; an area holding
    a single item stays a plain link (an agent's four pages need no menus)."""
    grouped: dict[str, list[NavItem]] = {}
    for item in items:
        grouped.setdefault(area_of(item), []).append(item)
    entries: list[NavItem | NavMenu] = []
    for key, members in grouped.items():
        if len(members) == 1 or key not in MENU_LABELS:
            entries.extend(members)
        else:
            entries.append(NavMenu(key, MENU_LABELS[key], tuple(members)))
    return entries


NAV_ITEMS: list[NavItem] = []
HOME_PANELS: list[HomePanel] = []


def register(nav=(), panels=()) -> None:
    NAV_ITEMS.extend(item for item in nav if item not in NAV_ITEMS)
    NAV_ITEMS.sort(key=lambda item: item.order)
    HOME_PANELS.extend(panel for panel in panels if panel not in HOME_PANELS)
    HOME_PANELS.sort(key=lambda panel: panel.order)
