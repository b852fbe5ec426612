"""qa: pre-fill maps on criteria, the suggested N/A on answers

Revision ID: 6ebc67b6ec68
Revises: 2be38035f0b9
Create Date: 2026-12-02 15:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6ebc67b6ec68'
down_revision = "2be38035f0b9"
branch_labels = None
depends_on = None


def upgrade():
    # a criterion's steps placing a check's measured value on its scale (docs/rubric-format.md)
    with op.batch_alter_table('qa_criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_map', sa.JSON(), nullable=True))
    # what the check proposed when the draft was made: auto_value already holds a value; a
    # proposed N/A needs its own flag so the trust page can compare it with the submitted answer
    with op.batch_alter_table('qa_criterion_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_na', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    # plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of qa_criteria would drop a table that
    # scored answers reference, which SQLite refuses with foreign keys on
    op.drop_column('qa_criterion_scores', 'auto_na')
    op.drop_column('qa_criteria', 'auto_map')
