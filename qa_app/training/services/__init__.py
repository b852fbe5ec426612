"""Training rules, one module per subject: grading (pure), course_format
(reading and validating course files), library (import), authoring
(trainer edits and versioning), assigning, learner_progress (progress and reading), attempts,
certificates, reports."""


class TrainingError(ValueError):
    """A rule was broken; the message is safe to show to the user. `fields` names the form fields
    at fault, so a form can mark them rather than show only a banner."""

    def __init__(self, message, *, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.fields = fields
