"""qa: index submitted scores by time (the scores list, newest first)

Revision ID: e5c3a1f09b27
Revises: d2b7c41e9a10
Create Date: 2026-11-23 13:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5c3a1f09b27'
down_revision = 'd2b7c41e9a10'
branch_labels = None
depends_on = None


def upgrade():
    # /qa/scores sorted every submitted score (~18,000 at a million chats) for each page: 22 ms
    # of a 40 ms page. With this index the page walks the newest scores and stops.
    with op.batch_alter_table('qa_scores', schema=None) as batch_op:
        batch_op.create_index('ix_qa_scores_status_submitted_at', ['status', 'submitted_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('qa_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_scores_status_submitted_at')
