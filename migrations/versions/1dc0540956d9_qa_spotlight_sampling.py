"""qa: spotlight sampling (a plan's spotlight share; how each sample was picked and why)

Revision ID: 1dc0540956d9
Revises: 27b11d52f6fe
Create Date: 2026-12-02 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1dc0540956d9'
down_revision = "27b11d52f6fe"
branch_labels = None
depends_on = None


def upgrade():
    # Plans and samples stored before were all drawn at random: they keep counting as random
    # picks in the reports; existing plans get the default spotlight share on their next run.
    with op.batch_alter_table('qa_sampling_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spotlight_percent', sa.Float(), nullable=False,
                                      server_default="30"))
    with op.batch_alter_table('qa_samples', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picked_by', sa.String(length=16), nullable=False,
                                      server_default="random"))
        batch_op.add_column(sa.Column('reasons', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('qa_samples', schema=None) as batch_op:
        batch_op.drop_column('reasons')
        batch_op.drop_column('picked_by')
    with op.batch_alter_table('qa_sampling_plans', schema=None) as batch_op:
        batch_op.drop_column('spotlight_percent')
