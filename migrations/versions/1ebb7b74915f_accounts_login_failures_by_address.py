"""accounts: index failed logins by address (login throttling per client address)

Revision ID: 1ebb7b74915f
Revises: e5c3a1f09b27
Create Date: 2026-12-02 15:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '1ebb7b74915f'
down_revision = "e5c3a1f09b27"
branch_labels = None
depends_on = None


def upgrade():
    # Every login attempt counts the recent failures from its address (qa_app/accounts/throttle.py).
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_remote_addr_at', ['remote_addr', 'at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_remote_addr_at')
