"""reviews: the classifier's confidence and the "to confirm" state of a review

Revision ID: 27b11d52f6fe
Revises: 6ebc67b6ec68
Create Date: 2026-12-02 15:40:00

"""
import sqlalchemy as sa
from alembic import op

from qa_app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = '27b11d52f6fe'
down_revision = "6ebc67b6ec68"
branch_labels = None
depends_on = None


def upgrade():
    # Reviews stored before have no confidence and need no confirmation: they keep counting as
    # they did; the next classification run of an uncorrected review fills them in.
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('needs_confirmation', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('confirmed_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reviews_confirmed_by_id_users'), 'users',
                                    ['confirmed_by_id'], ['id'])
        batch_op.create_index('ix_reviews_needs_confirmation_created_at',
                              ['needs_confirmation', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_needs_confirmation_created_at')
        batch_op.drop_constraint(batch_op.f('fk_reviews_confirmed_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('confirmed_by_id')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('needs_confirmation')
        batch_op.drop_column('confidence')
