"""training, qa: numbered quiz attempts and one open dispute per score, kept by the database

Two requests at once could each pass the "attempts left?" and "no open dispute?" checks and each
insert a row (issue 14, items 2 and 9). Attempts are numbered per learner and course, unique; a
score has at most one open dispute (a partial unique index).

Revision ID: ec550941efd0
Revises: 1ebb7b74915f
Create Date: 2026-12-02 15:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ec550941efd0'
down_revision = "1ebb7b74915f"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
    # existing attempts numbered in the order they were started (UPDATE ... FROM: SQLite >= 3.33)
    op.execute("""
        UPDATE attempts SET number = numbered.n
        FROM (SELECT id, row_number() OVER (PARTITION BY user_id, course_id
                                            ORDER BY started_at, id) AS n
              FROM attempts) AS numbered
        WHERE numbered.id = attempts.id""")
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('uq_attempts_user_course_number',
                                          ['user_id', 'course_id', 'number'])
        # the unique constraint's index serves the same lookups
        batch_op.drop_index('ix_attempts_user_course')

    _close_duplicate_open_disputes()
    with op.batch_alter_table('qa_disputes', schema=None) as batch_op:
        batch_op.create_index('uq_qa_disputes_open_score_id', ['score_id'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)


def _close_duplicate_open_disputes():
    """Disputes opened by the race this revision closes: the first open one of a score stays
    open; the later ones are closed as upheld (the score stands: nobody changed it for them),
    saying which dispute goes on, so the index can be built and nothing is deleted."""
    op.execute("""
        UPDATE qa_disputes SET status = 'upheld', total_after = total_before,
               resolved_at = created_at,
               resolution = 'Closed as a duplicate: dispute #' || kept.id || ' of this score stays open.'
        FROM (SELECT score_id, min(id) AS id FROM qa_disputes WHERE status = 'open'
              GROUP BY score_id) AS kept
        WHERE qa_disputes.status = 'open' AND qa_disputes.score_id = kept.score_id
          AND qa_disputes.id <> kept.id""")


def downgrade():
    with op.batch_alter_table('qa_disputes', schema=None) as batch_op:
        batch_op.drop_index('uq_qa_disputes_open_score_id', sqlite_where=OPEN, postgresql_where=OPEN)
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('ix_attempts_user_course', ['user_id', 'course_id'], unique=False)
        batch_op.drop_constraint('uq_attempts_user_course_number', type_='unique')
        batch_op.drop_column('number')
