"""A shop's service standards: the defaults a new shop starts with.

The automatic chat checks (chats.checks.Rules), the rubric pre-fill and the course quizzes all
read a shop's standards from the Shop row; these are the values it gets until an admin edits them
on the shop settings page. Each list is stored as text, one phrase per line.
"""

from __future__ import annotations

#: platform openers that count as a greeting: JD's standard welcome lines and Taobao/Qianniu's
DEFAULT_OPENERS = (
    "有什么问题我可以帮您处理或解决呢",
    "请问您是咨询之前的问题还是有其他的问题需要处理呢",
    "尊敬的商家朋友，请问有什么可以帮您的呢",
    "尊敬的商家朋友，请问有什么可以帮到您呢",
    "尊敬的卖家朋友，请问有什么可以帮到您呢",
    "在的亲",
    "亲，在的",
    "欢迎光临",
)

#: polite templates that contain a forbidden word without being one (JD's end-of-chat line)
DEFAULT_ALLOWED_TEMPLATES = (
    "暂时不知道您的问题我是否为您解决完毕",
    "不知道您的问题是否已经解决",
)

#: what counts as a closing in the agent's last two messages
DEFAULT_CLOSINGS = (
    "还有什么",
    "还有其他",
    "其他问题",
    "其他需要",
    "还有木有",
    "随时",
    "有问题再",
    "有需要",
    "继续反馈",
    "祝您",
    "再见",
    "欢迎再来",
    "欢迎下次",
    "感谢您的",
    "感谢支持",
    "谢谢惠顾",
    "期待",
    "生活愉快",
    "评价",
    "小红心",
    "anything else",
    "let us know",
    "feel free",
    "reach out",
    "have a great",
    "have a nice",
    "have a good",
    "happy to help",
    "glad to help",
    "here if you need",
    "here to help",
    "further questions",
    "further help",
    "any other question",
    "dm us",
    "take care",
)


def as_text(phrases: tuple[str, ...]) -> str:
    return "\n".join(phrases)


def as_lines(text: str | None) -> tuple[str, ...]:
    """The stored text as phrases: one per line, blank lines and surrounding spaces dropped."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())
