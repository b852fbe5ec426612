"""orders: shop orders imported from the platforms (conversion and refunds per agent)

Revision ID: b7d2e9a4c013
Revises: 55913c0f829f
Create Date: 2026-12-03 07:10:00

"""
import sqlalchemy as sa
from alembic import op

import qa_app.dbtypes

# revision identifiers, used by Alembic.
revision = 'b7d2e9a4c013'
down_revision = "55913c0f829f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('customer', sa.String(length=128), nullable=False),
    sa.Column('created_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('refund_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('refunded_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('imported_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "status IS NULL OR status IN ('unpaid', 'paid', 'shipped', 'completed', 'closed', 'refunded')",
        name=op.f('ck_orders_known_status')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_orders_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('shop_id', 'external_id', name='uq_orders_shop_id_external_id')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_shop_id_customer_paid_at', ['shop_id', 'customer', 'paid_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_shop_id_customer_paid_at')
    op.drop_table('orders')
