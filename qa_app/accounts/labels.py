"""Words for the platform and channel codes shops and chats carry (`tmall`, `qianniu`).

The codes stay in the data and in machine exports; pages show these words. An unknown code (a
platform added by an import) is shown as it is: it is the shop's own name for it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import UNNAMED_SHOP

PLATFORMS = {
    "taobao": _l("Taobao"),
    "tmall": _l("Tmall"),
    "jd": _l("JD.com"),
    "pinduoduo": _l("Pinduoduo"),
    "douyin": _l("Douyin"),
    "other": _l("Other platform"),
}

CHANNELS = {
    "qianniu": _l("Qianniu"),
    "dongdong": _l("JD Dongdong"),
    "wangwang": _l("Wangwang"),
    "feige": _l("Feige"),
}


def platform_label(code: str | None) -> str:
    return str(PLATFORMS.get(code, code)) if code else ""


def channel_label(code: str | None) -> str:
    return str(CHANNELS.get(code, code)) if code else ""


def shop_slug_label(slug: str | None) -> str:
    """A shop named by its slug (a job's result keeps slugs): the unnamed shop in words."""
    return str(_l("Shop not named in the export")) if slug == UNNAMED_SHOP else (slug or "")
