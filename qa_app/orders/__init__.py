"""Shop orders as imported from the platforms: who bought what, when it was paid and refunded.

Orders meet chats by shop + customer (and by order id where a chat names one); the sums that
credit an order to an agent live above both (qa_app/evaluations/sales.py)."""
