"""accounts/chats: a shop's service standards (openers, allowed templates, closing phrases) and
the chat-level `transferred` flag of the import format

Revision ID: 2be38035f0b9
Revises: ec550941efd0
Create Date: 2026-12-02 15:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2be38035f0b9'
down_revision = "ec550941efd0"
branch_labels = None
depends_on = None

# The defaults as they were when this migration was written (existing shops get them); a
# migration must not change when qa_app/accounts/standards.py does.
OPENERS = "\n".join((
    "有什么问题我可以帮您处理或解决呢",
    "请问您是咨询之前的问题还是有其他的问题需要处理呢",
    "尊敬的商家朋友，请问有什么可以帮您的呢",
    "尊敬的商家朋友，请问有什么可以帮到您呢",
    "尊敬的卖家朋友，请问有什么可以帮到您呢",
    "在的亲",
    "亲，在的",
    "欢迎光临",
))
TEMPLATES = "\n".join(("暂时不知道您的问题我是否为您解决完毕", "不知道您的问题是否已经解决"))
CLOSINGS = "\n".join((
    "还有什么", "还有其他", "其他问题", "其他需要", "还有木有", "随时", "有问题再", "有需要", "继续反馈",
    "祝您", "再见", "欢迎再来", "欢迎下次", "感谢您的", "感谢支持", "谢谢惠顾", "期待", "生活愉快",
    "评价", "小红心",
    "anything else", "let us know", "feel free", "reach out", "have a great", "have a nice",
    "have a good", "happy to help", "glad to help", "here if you need", "here to help",
    "further questions", "further help", "any other question", "dm us", "take care",
))


def upgrade():
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_openers', sa.Text(), nullable=False,
                                      server_default=OPENERS))
        batch_op.add_column(sa.Column('allowed_templates', sa.Text(), nullable=False,
                                      server_default=TEMPLATES))
        batch_op.add_column(sa.Column('closing_phrases', sa.Text(), nullable=False,
                                      server_default=CLOSINGS))
    # None: the export did not say whether the chat was handed between agents
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transferred', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.drop_column('transferred')
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('closing_phrases')
        batch_op.drop_column('allowed_templates')
        batch_op.drop_column('accepted_openers')
