"""Every route declares who may use it; a route added without a rule fails here."""

from qa_app.permissions import AUTHENTICATED, PUBLIC


def test_every_route_declares_its_access_rule(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "access", None) is None:
            missing.append(f"{rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an access rule: " + ", ".join(missing)


def test_access_rules_are_known_values(app):
    for endpoint, view in app.view_functions.items():
        access = getattr(view, "access", None)
        if access is None:
            continue
        assert access in (PUBLIC, AUTHENTICATED) or isinstance(access, frozenset), endpoint
