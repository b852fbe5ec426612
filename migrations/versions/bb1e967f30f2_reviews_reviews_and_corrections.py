"""reviews: reviews and corrections

Revision ID: bb1e967f30f2
Revises: 0c50f8ad3a82
Create Date: 2026-11-23 08:38:23.636365

"""
from alembic import op
import sqlalchemy as sa

import qa_app.dbtypes


# revision identifiers, used by Alembic.
revision = 'bb1e967f30f2'
down_revision = '0c50f8ad3a82'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('order_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('service_rating', sa.Integer(), nullable=True),
    sa.Column('agent_field', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('attribution_route', sa.String(length=16), nullable=True),
    sa.Column('attribution_rule', sa.Text(), nullable=True),
    sa.Column('sentiment', sa.String(length=16), nullable=True),
    sa.Column('service_polarity', sa.String(length=16), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.Column('corrected', sa.Boolean(), nullable=False),
    sa.Column('imported_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("attribution_route IS NULL OR attribution_route IN ('field', 'order', 'text', 'manual')", name=op.f('ck_reviews_known_route')),
    sa.CheckConstraint("sentiment IS NULL OR sentiment IN ('positive', 'negative', 'neutral')", name=op.f('ck_reviews_known_sentiment')),
    sa.CheckConstraint("service_polarity IS NULL OR service_polarity IN ('praise', 'criticism', 'mixed', 'none')", name=op.f('ck_reviews_known_polarity')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_reviews_rating_range')),
    sa.CheckConstraint('service_rating IS NULL OR service_rating BETWEEN 1 AND 5', name=op.f('ck_reviews_service_rating_range')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_reviews_agent_id_users')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_reviews_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('shop_id', 'external_id', name='uq_reviews_shop_id_external_id')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_agent_id_created_at', ['agent_id', 'created_at'], unique=False)
        batch_op.create_index('ix_reviews_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_reviews_order_id', ['order_id'], unique=False)
        batch_op.create_index('ix_reviews_shop_id_agent_field', ['shop_id', 'agent_field'], unique=False)

    op.create_table('review_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("field IN ('sentiment', 'service_polarity', 'evidence', 'agent')", name=op.f('ck_review_corrections_known_field')),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_review_corrections_by_id_users')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_corrections_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_corrections'))
    )
    with op.batch_alter_table('review_corrections', schema=None) as batch_op:
        batch_op.create_index('ix_review_corrections_at', ['at'], unique=False)
        batch_op.create_index('ix_review_corrections_review_id', ['review_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_corrections', schema=None) as batch_op:
        batch_op.drop_index('ix_review_corrections_review_id')
        batch_op.drop_index('ix_review_corrections_at')

    op.drop_table('review_corrections')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_shop_id_agent_field')
        batch_op.drop_index('ix_reviews_order_id')
        batch_op.drop_index('ix_reviews_created_at')
        batch_op.drop_index('ix_reviews_agent_id_created_at')

    op.drop_table('reviews')
