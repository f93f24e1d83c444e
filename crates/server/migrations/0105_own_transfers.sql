-- Transfers between a user's own accounts (src/transfers): the other side's id, set on
-- both sides of a pair. NULL for every other transaction.
ALTER TABLE transactions ADD COLUMN transfer_id TEXT;
