"""Training: the course library, quizzes, assignments, learner progress and certificates."""
