"""Navigation entries and home-page panels that each domain contributes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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


NAV_ITEMS: list[NavItem] = []
HOME_PANELS: list[HomePanel] = []


def register(nav=(), panels=()) -> None:
    NAV_ITEMS.extend(item for item in nav if item not in NAV_ITEMS)
    NAV_ITEMS.sort(key=lambda item: item.order)
    HOME_PANELS.extend(panel for panel in panels if panel not in HOME_PANELS)
    HOME_PANELS.sort(key=lambda panel: panel.order)
