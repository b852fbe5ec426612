"""chats: index chats by (order_id, shop_id) instead of order_id alone

Revision ID: c4a7e2d91b03
Revises: 77afaf993046
Create Date: 2026-11-23 12:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4a7e2d91b03'
down_revision = '77afaf993046'
branch_labels = None
depends_on = None


def upgrade():
    # Without planner statistics SQLite answered "chats about order X in shop Y" from
    # ix_chats_shop_id_agent_nickname (every chat of the shop: 1.2 s at a million chats); with
    # both columns in one index it is the obvious choice, and order-only lookups still use it.
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.create_index('ix_chats_order_id_shop_id', ['order_id', 'shop_id'], unique=False)
        batch_op.drop_index('ix_chats_order_id')


def downgrade():
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.create_index('ix_chats_order_id', ['order_id'], unique=False)
        batch_op.drop_index('ix_chats_order_id_shop_id')
