"""Training rules, one module per subject: grading (pure), library (import), authoring
(trainer edits and versioning), learning (assignments, reading, attempts, certificates), reports."""


class TrainingError(ValueError):
    """A rule was broken; the message is safe to show to the user."""
