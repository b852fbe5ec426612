"""Every form of the site, posted with hypothesis-generated values by a user allowed to use it:
never a 500; a post that changes the database stores what was sent (stripped where the form
strips) and a rejected one changes nothing; markup sent is shown escaped.

The forms are found by walking FlaskForm's subclasses and the POST routes of the URL map: a new
form or POST route without a case here fails test_every_form_has_a_case or
test_every_post_route_is_fuzzed. The account forms with their own, stricter properties live in
test_accounts.py (listed in COVERED_ELSEWHERE).
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from hypothesis import event, given, settings
from hypothesis import strategies as st

from qa_app import create_app
from qa_app.accounts import forms as account_forms
from qa_app.accounts.models import AgentNickname, User
from qa_app.api import forms as api_forms
from qa_app.api.models import ApiToken
from qa_app.chats import forms as chat_forms
from qa_app.evaluations import forms as evaluation_forms
from qa_app.evaluations.models import CoachingSession, LeadNote
from qa_app.extensions import db as _db
from qa_app.qa import forms as qa_forms
from qa_app.qa.models import Dispute, Rubric
from qa_app.reviews import forms as review_forms
from qa_app.reviews.models import Review, ReviewCorrection
from qa_app.training import forms as training_forms
from qa_app.training.models import Course, Lesson, Question

from ..conftest import TEST_CONFIG
from ..qa.factories import SMALL_RUBRIC
from .forms import Case, changed, markup_sent, post, single, snapshot, values_for
from .strategies import FORMULAS, HTML, PLAIN, SETTINGS
from .world import World


def newest(model, **where):
    return _db.session.scalar(sa.select(model).filter_by(**where).order_by(model.id.desc()).limit(1))


def _course_fields(version, course=None) -> dict:
    names = ("title_zh", "title_en", "summary_zh", "summary_en")
    values = {name: getattr(version, name) for name in names}
    return values | ({"slug": course.slug} if course else {})


def _new_course(world):
    course = newest(Course)
    return _course_fields(course.draft, course) if course else {}


def _lesson_fields(lesson) -> dict:
    return {name: getattr(lesson, name) for name in ("title_zh", "title_en", "body_zh", "body_en")}


def _review_correction(world) -> dict:
    review = _db.session.get(Review, world.review.id)
    correction = newest(ReviewCorrection, review_id=review.id)
    # evidence only goes with a service judgement: polarity "none" clears it
    evidence = {} if review.service_polarity == "none" else {"evidence": review.evidence}
    return evidence | {"reason": correction.reason if correction else None}


def _note(world) -> dict:
    note = newest(LeadNote, agent_id=world.agent.id)
    return {"praise": note.praise, "criticism": note.criticism} if note else {}


def _coaching(world) -> dict:
    session = newest(CoachingSession)
    return {"notes": session.notes, "actions": session.actions} if session else {}


def _new_calibration(world) -> str:
    assert world.recent_chat is not None  # a chat that can be picked for calibration
    return "/qa/calibration/new"


def _dispute_resolution(world) -> dict:
    dispute = _db.session.get(Dispute, world.dispute.id)
    return {"note": dispute.resolution} if dispute.status != "open" else {}


RUBRIC_TOML = st.builds(
    lambda title: SMALL_RUBRIC.replace('en = "Test rubric"', f"en = {json.dumps(title)}"),
    st.one_of(HTML, FORMULAS),
)
#: Markdown is stored as written: leading spaces make code blocks
MARKDOWN = frozenset({"body_zh", "body_en"})

CASES = [
    # -- training -----------------------------------------------------------------------------
    Case(
        "training.new_course",
        training_forms.NewCourseForm,
        "trainer",
        lambda w: "/training/manage/new",
        read=_new_course,
        shows=lambda w: [f"/training/manage/{newest(Course).id}"],
        plausible=lambda w: {
            "slug": st.from_regex(r"\A[a-z0-9-]{3,30}\Z"),
            "estimated_minutes": st.integers(1, 600).map(str),
        },
    ),
    Case(
        "training.course_settings",
        training_forms.CourseMetaForm,
        "trainer",
        lambda w: f"/training/manage/{w.course.id}/settings",
        read=lambda w: _course_fields(_db.session.get(Course, w.course.id).draft),
        shows=lambda w: [f"/training/manage/{w.course.id}"],
        plausible=lambda w: {"estimated_minutes": st.integers(1, 600).map(str)},
    ),
    Case(
        "training.edit_lesson",
        training_forms.LessonForm,
        "trainer",
        lambda w: f"/training/manage/{w.course.id}/lessons/{w.lesson.id}",
        read=lambda w: _lesson_fields(_db.session.get(Lesson, w.lesson.id)),
        shows=lambda w: [f"/training/manage/{w.course.id}"],
        verbatim=MARKDOWN,
        name="training.edit_lesson (edit)",
    ),
    Case(
        "training.edit_lesson",
        training_forms.LessonForm,
        "admin",
        lambda w: f"/training/manage/{w.course.id}/lessons/new",
        read=lambda w: _lesson_fields(newest(Lesson)),
        shows=lambda w: [f"/training/manage/{w.course.id}"],
        verbatim=MARKDOWN,
        name="training.edit_lesson (new)",
    ),
    Case(
        "training.edit_question",
        training_forms.QuestionForm,
        "trainer",
        lambda w: f"/training/manage/{w.course.id}/questions/{w.question.id}",
        read=lambda w: {"key": _db.session.get(Question, w.question.id).key},
        shows=lambda w: [f"/training/manage/{w.course.id}"],
        plausible=lambda w: {
            "key": st.from_regex(r"\A[a-z0-9_.-]{1,30}\Z"),
            "choices_zh": st.just("甲\n乙\n丙"),
            "choices_en": st.just("A\nB\nC"),
            "correct": st.sampled_from(["1", "2", "1,3"]),
        },
    ),
    Case(
        "training.assignments",
        training_forms.AssignForm,
        "trainer",
        lambda w: "/training/assignments",
        plausible=lambda w: {
            "target": st.just(f"course:{w.published_course.id}"),
            "users": st.just(str(w.agent.id)),
            "teams": st.just(str(w.agent.team_id)),
        },
    ),
    # -- accounts (the rest are in test_accounts.py) ---------------------------------------------
    Case(
        "accounts.reset_password",
        account_forms.PasswordForm,
        "admin",
        lambda w: f"/admin/users/{w.agent.id}/password",
        plausible=lambda w: {"password": st.sampled_from(["blue-kettle-42", "short"])},
    ),
    Case(
        "accounts.set_nickname",
        account_forms.NicknameForm,
        "admin",
        lambda w: f"/admin/users/{w.agent.id}/nickname",
        read=lambda w: {"nickname": getattr(newest(AgentNickname), "nickname", None)},
        shows=lambda w: [f"/admin/users/{w.agent.id}"],
        plausible=lambda w: {"shop_id": st.just(str(w.shop.id))},
    ),
    Case("accounts.language", account_forms.LanguageForm, "agent", lambda w: "/language"),
    # -- API tokens ------------------------------------------------------------------------------
    Case(
        "api_admin.tokens",
        api_forms.TokenForm,
        "admin",
        lambda w: "/admin/api-tokens",
        read=lambda w: {"name": getattr(newest(ApiToken), "name", None)},
        shows=lambda w: ["/admin/api-tokens"],
    ),
    # -- chats -------------------------------------------------------------------------------------
    Case(
        "chats.map_nickname",
        chat_forms.MapNicknameForm,
        "qa",
        lambda w: "/chats/nicknames/map",
        plausible=lambda w: {
            "shop_id": st.just(str(w.unmatched_chat.shop_id)),
            "nickname": st.one_of(st.just(w.unmatched_chat.agent_nickname), PLAIN),
            "user_id": st.just(str(w.agent.id)),
        },
    ),
    # -- QA --------------------------------------------------------------------------------------
    Case(
        "qa.new_rubric",
        qa_forms.RubricForm,
        "qa",
        lambda w: "/qa/rubrics/new",
        read=lambda w: {"slug": newest(Rubric).slug},
        shows=lambda w: ["/qa/rubrics"],
        plausible=lambda w: {"slug": st.from_regex(r"\A[a-z0-9-]{3,30}\Z"), "toml": RUBRIC_TOML},
    ),
    Case(
        "qa.edit_rubric",
        qa_forms.RubricForm,
        "qa",
        lambda w: f"/qa/rubrics/{w.rubric.id}/edit",
        shows=lambda w: ["/qa/rubrics"],
        plausible=lambda w: {"toml": RUBRIC_TOML},
    ),
    Case(
        "qa.new_plan",
        qa_forms.PlanForm,
        "qa",
        lambda w: "/qa/plans/new",
        plausible=lambda w: {
            "rubric_id": st.just(str(w.rubric.id)),
            "shop_id": st.sampled_from(["0", str(w.shop.id)]),
            "failed_check": st.sampled_from(["", "any"]),
            "date_from": st.just("2026-10-01"),
            "date_to": st.just("2026-11-01"),
            "grader_ids": st.just(str(w.user("qa").id)),
        },
    ),
    Case(
        "qa.new_calibration",
        qa_forms.CalibrationForm,
        "qa",
        _new_calibration,
        plausible=lambda w: {
            "rubric_id": st.just(str(w.rubric.id)),
            "grader_ids": st.sampled_from([str(w.user("qa").id), str(w.user("qa", 2).id)]),
        },
    ),
    Case("qa.dispute_window", qa_forms.WindowForm, "admin", lambda w: "/qa/disputes/window"),
    Case(
        "qa.dispute_score",
        qa_forms.DisputeForm,
        "agent",
        lambda w: f"/qa/scores/{w.score.id}/dispute",
        read=lambda w: {"reason": getattr(newest(Dispute), "reason", None)},
        shows=lambda w: [f"/qa/disputes/{newest(Dispute).id}"],
        extra={"login": "owner"},
    ),
    Case(
        "qa.dispute",
        qa_forms.ResolveForm,
        "lead",
        lambda w: f"/qa/disputes/{w.dispute.id}",
        read=_dispute_resolution,
        shows=lambda w: [f"/qa/disputes/{w.dispute.id}"],
        extra={"login": "team lead"},
    ),
    # -- reviews -----------------------------------------------------------------------------------
    Case(
        "reviews.correct",
        review_forms.ClassificationForm,
        "qa",
        lambda w: f"/reviews/{w.review.id}/classification",
        read=_review_correction,
        shows=lambda w: [f"/reviews/{w.review.id}"],
        plausible=lambda w: {"evidence": st.sampled_from(["", "客服很耐心", "东西不错"])},
    ),
    Case(
        "reviews.move_follow_up",
        review_forms.FollowUpForm,
        "lead",
        lambda w: f"/reviews/follow-ups/{w.follow_up.id}/move",
        prefix="f",
        plausible=lambda w: {"status": st.sampled_from(["contacted", "resolved", "unresolvable"])},
        extra={"login": "team lead"},
    ),
    Case(
        "reviews.attribute",
        review_forms.AttributionForm,
        "qa",
        lambda w: f"/reviews/{w.review.id}/attribution",
        prefix="a",
        read=lambda w: {"reason": getattr(newest(ReviewCorrection), "reason", None)},
        plausible=lambda w: {"agent_id": st.sampled_from(["0", str(w.agent.id)])},
        shows=lambda w: [f"/reviews/{w.review.id}"],
    ),
    # -- evaluations -------------------------------------------------------------------------------
    Case(
        "evaluations.save_note",
        evaluation_forms.NoteForm,
        "lead",
        lambda w: f"/evaluations/agents/{w.agent.id}/notes",
        read=_note,
        shows=lambda w: [f"/evaluations/agents/{w.agent.id}"],
        extra={"login": "team lead"},
    ),
    Case(
        "evaluations.coaching_page",
        evaluation_forms.CoachingForm,
        "lead",
        lambda w: "/evaluations/coaching",
        read=_coaching,
        shows=lambda w: ["/evaluations/coaching"],
        plausible=lambda w: {
            "agent_id": st.just(str(w.agent.id)),
            "held_on": st.just("2026-11-01"),
            "follow_up_on": st.sampled_from(["", "2026-11-15"]),
            "criterion_keys": w.rubric and st.sampled_from(["greeting", "answer"]),
        },
        extra={"login": "team lead"},
    ),
    Case("evaluations.settings", evaluation_forms.SettingsForm, "admin", lambda w: "/evaluations/settings"),
    Case(
        "evaluations.priority_settings",
        evaluation_forms.PriorityForm,
        "lead",
        lambda w: "/evaluations/priority",
        shows=lambda w: ["/evaluations/"],
        plausible=lambda w: {
            "top": st.sampled_from(["1", "5", "50"]),
            "low": st.sampled_from(["0", "70", "100"]),
            "gap": st.sampled_from(["0", "10"]),
            "drop": st.sampled_from(["1", "10", "100"]),
        },
    ),
]

#: form classes with properties of their own elsewhere
COVERED_ELSEWHERE = {
    account_forms.LoginForm: "test_accounts.py",
    account_forms.UserForm: "test_accounts.py",
    account_forms.NewUserForm: "test_accounts.py",
    account_forms.TeamForm: "test_accounts.py",
    account_forms.ShopForm: "test_accounts.py",
    chat_forms.UploadForm: "test_uploads.py",
    review_forms.ImportForm: "test_uploads.py",
}


def _login(world, case: Case) -> User:
    who = case.extra.get("login")
    if who == "owner":  # of the score
        return _db.session.get(User, world.score.agent_id)
    if who == "team lead":  # of the agent
        return world.agent.team.lead
    return world.user(case.role)


@pytest.fixture
def world(db):
    return World()


@pytest.mark.parametrize("case", CASES, ids=str)
@settings(SETTINGS, max_examples=20)  # 23 forms: 20 examples each keep the file near 30 s
@given(data=st.data())
def test_form_stores_what_was_sent_or_nothing(app, client, auth, world, case, data):
    url = case.url(world)
    auth.login_user(_login(world, case))
    with app.test_request_context():
        strategy = values_for(case.form, case.plausible(world), prefix=case.prefix)
    fields = data.draw(strategy, label="fields")
    before = snapshot(case.noise)
    response = post(client, url, fields)
    after = snapshot(case.noise)
    assert response.status_code < 500, response.status_code
    event("stored" if changed(before, after) else "refused")  # --hypothesis-show-statistics
    if not changed(before, after):
        return
    for name, stored in (case.read(world) if case.read else {}).items():
        sent = single(fields.get(name))
        if sent is not None:
            expected = sent if name in case.verbatim else sent.strip()
            assert (stored or "") == expected, (name, stored, sent)
    for page_url in case.shows(world) if case.shows else []:
        page = client.get(page_url).get_data(as_text=True)
        for text in markup_sent(fields):
            assert text not in page, (page_url, text)


# -- coverage ---------------------------------------------------------------------------------------


def _app():
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _forms_with_fields() -> set[type]:
    app = _app()
    found, todo = set(), list(FlaskForm.__subclasses__())
    while todo:
        form_class = todo.pop()
        todo.extend(form_class.__subclasses__())
        if not form_class.__module__.startswith("qa_app."):
            continue
        with app.test_request_context():
            if [f for f in form_class(meta={"csrf": False}) if f.type != "CSRFTokenField"]:
                found.add(form_class)
    return found


def test_every_form_has_a_case():
    covered = {case.form for case in CASES} | set(COVERED_ELSEWHERE)
    missing = sorted(f"{f.__module__}.{f.__name__}" for f in _forms_with_fields() - covered)
    assert not missing, f"forms without a property test: {missing}"
