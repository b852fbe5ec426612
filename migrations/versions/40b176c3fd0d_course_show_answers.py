"""training: when a quiz result shows the right answers and explanations (course setting)

Revision ID: 40b176c3fd0d
Revises: 1dc0540956d9
Create Date: 2026-12-02 16:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '40b176c3fd0d'
down_revision = "1dc0540956d9"
branch_labels = None
depends_on = None


def upgrade():
    # Existing versions take "final" (after a pass or the last attempt): showing every right
    # answer after a failed attempt made the retry a copy, which is what the setting fixes.
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_answers', sa.String(length=8), nullable=False,
                                      server_default='final'))
        batch_op.create_check_constraint(
            op.f('ck_course_versions_known_show_answers'), "show_answers IN ('final', 'always')")


def downgrade():
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_course_versions_known_show_answers'), type_='check')
        batch_op.drop_column('show_answers')
