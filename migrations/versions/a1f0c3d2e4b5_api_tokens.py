"""api: tokens

Revision ID: a1f0c3d2e4b5
Revises: bb1e967f30f2
Create Date: 2026-11-23 08:50:00

"""
from alembic import op
import sqlalchemy as sa

import qa_app.dbtypes


# revision identifiers, used by Alembic.
revision = 'a1f0c3d2e4b5'
down_revision = 'bb1e967f30f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', qa_app.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )


def downgrade():
    op.drop_table('api_tokens')
