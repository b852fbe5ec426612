"""What the form and route tests work on: made on first use, kept for a test's examples."""

from __future__ import annotations

from datetime import date, timedelta

from qa_app.accounts.models import Shop, User
from qa_app.chats.models import Chat
from qa_app.dbtypes import utcnow
from qa_app.evaluations.coaching import record_session
from qa_app.evaluations.models import CoachingSession
from qa_app.extensions import db as _db
from qa_app.qa import calibration, disputes, sampling
from qa_app.qa import scores as qa_scores
from qa_app.qa.models import CalibrationSession, Dispute, Rubric, Sample, SamplingPlan, Score
from qa_app.reviews.followup import open_cases
from qa_app.reviews.models import FollowUpCase, Review
from qa_app.training.models import Assignment, Attempt, Course, Lesson, Question
from qa_app.training.services import assigning, authoring

from ..factories import make_shop, make_team, make_user
from ..qa.factories import make_chat, make_rubric, make_sample, submitted_score
from ..reviews.factories import make_review
from ..training.factories import make_course, start_attempt


class World:
    """What the forms work on, made on first use and kept for the test's examples."""

    def __init__(self):
        self._ids: dict[str, int] = {}

    def _once(self, key: str, model, make, usable=lambda found: True):
        found = _db.session.get(model, self._ids[key]) if key in self._ids else None
        if found is None or not usable(found):  # first use, or a post deleted or used it up
            found = make()
            _db.session.commit()  # services only flush; the requests of the test read it
            self._ids[key] = found.id
        return found

    def user(self, role: str, number: int = 1) -> User:
        return self._once(f"user:{role}:{number}", User, lambda: make_user(roles=(role,)))

    @property
    def agent(self) -> User:
        def make():
            team = make_team(lead=self.user("lead"))
            return make_user(team=team, nickname="小美", shop=self.shop, display_name="林小美")

        return self._once("agent", User, make)

    @property
    def shop(self) -> Shop:
        return self._once("shop", Shop, lambda: make_shop(slug="fuzz-shop"))

    @property
    def course(self) -> Course:
        return self._once("course", Course, lambda: make_course(published=False))

    @property
    def published_course(self) -> Course:
        return self._once("published", Course, lambda: make_course())

    @property
    def lesson(self) -> Lesson:
        """A lesson of the course's draft (a new one when a post deleted them all)."""
        return self._once(
            "lesson",
            Lesson,
            lambda: (
                self.course.draft.lessons[0]
                if self.course.draft.lessons
                else authoring.save_lesson(
                    None,
                    self.course.draft,
                    None,
                    title_zh="新课",
                    title_en="New",
                    body_zh="正文",
                    body_en="Body",
                    minutes=5,
                )
            ),
        )

    @property
    def question(self) -> Question:
        return self._once(
            "question",
            Question,
            lambda: (
                self.course.draft.questions[0]
                if self.course.draft.questions
                else authoring.save_question(
                    None,
                    self.course.draft,
                    None,
                    authoring.parse_question_form(
                        key=f"q{len(self._ids)}",
                        qtype="true_false",
                        points=1,
                        prompt_zh="对吗",
                        prompt_en="True?",
                        choices_zh="",
                        choices_en="",
                        correct="",
                        true_false="true",
                        explanation_zh="因为",
                        explanation_en="Because",
                    ),
                )
            ),
        )

    @property
    def rubric(self) -> Rubric:
        return self._once("rubric", Rubric, lambda: make_rubric(slug="fuzz-rubric"))

    @property
    def score(self) -> Score:
        return self._once(
            "score",
            Score,
            lambda: submitted_score(make_chat(self.agent, shop=self.shop), self.rubric, self.user("qa")),
        )

    @property
    def dispute(self) -> Dispute:
        return self._once(
            "dispute", Dispute, lambda: disputes.raise_dispute(self.agent, self.score, "评分不公")
        )

    @property
    def review(self) -> Review:
        return self._once("review", Review, lambda: make_review(shop=self.shop, agent=self.agent))

    @property
    def follow_up(self) -> FollowUpCase:
        """An open case on a bad review of the agent, due tomorrow."""

        def opened():
            review = make_review(
                shop=self.shop, agent=self.agent, rating=1, created_at=utcnow() - timedelta(days=2)
            )
            case = open_cases([review])[0]
            _db.session.commit()
            return case

        return self._once(
            "follow_up", FollowUpCase, opened, lambda case: case.status in ("open", "contacted")
        )

    @property
    def recent_chat(self) -> Chat:
        return self._once(
            "recent",
            Chat,
            lambda: make_chat(self.agent, shop=self.shop, started_at=utcnow() - timedelta(days=1)),
        )

    @property
    def unmatched_chat(self) -> Chat:
        return self._once("unmatched", Chat, lambda: make_chat(None, shop=self.shop))

    @property
    def draft_score(self) -> Score:
        """A score the QA specialist has started and not submitted."""

        def make():
            sample = make_sample(make_chat(self.agent, shop=self.shop), self.rubric, self.user("qa"))
            return qa_scores.start_for_sample(sample, self.user("qa"))

        return self._once("draft score", Score, make)

    @property
    def unscored_sample(self) -> Sample:
        """A sample in the QA specialist's queue that nobody has started scoring."""
        return self._once(
            "unscored sample",
            Sample,
            lambda: make_sample(make_chat(self.agent, shop=self.shop), self.rubric, self.user("qa")),
            usable=lambda found: found.score is None,
        )

    @property
    def calibration(self) -> CalibrationSession:
        def make():
            return calibration.create_session(
                self.user("qa"),
                title="校准",
                rubric=self.rubric,
                chat_count=1,
                grader_ids=[self.user("qa").id, self.user("qa", 2).id],
                chat_ids=[self.recent_chat.id],
            )

        return self._once("calibration", CalibrationSession, make)

    @property
    def attempt(self) -> Attempt:
        """An open quiz attempt of the agent's (each in a course of its own: attempts are
        limited per course)."""
        return self._once(
            "attempt",
            Attempt,
            lambda: start_attempt(self.agent, make_course()),
            usable=lambda attempt: attempt.finished_at is None,
        )

    @property
    def assignment(self) -> Assignment:
        return self._once(
            "assignment",
            Assignment,
            lambda: assigning.assign(None, [self.agent], course=self.published_course).created[0],
        )

    @property
    def coaching(self) -> CoachingSession:
        """A session of the agent's, held by the agent's lead (a new one after a delete)."""
        return self._once(
            "coaching",
            CoachingSession,
            lambda: record_session(
                self.agent.team.lead,
                self.agent,
                held_on=date(2026, 11, 2),
                notes="问候语",
                actions="",
                follow_up_on=None,
            ),
        )

    @property
    def plan(self) -> SamplingPlan:
        def make():
            return sampling.create_plan(
                self.user("qa"),
                name="计划",
                rubric=self.rubric,
                mode="per_agent",
                per_agent_per_week=1,
                percent=None,
                date_from=date(2026, 10, 1),
                date_to=date(2026, 11, 30),
                filters={},
            )

        return self._once("plan", SamplingPlan, make)
