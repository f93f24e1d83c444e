-- Date-filtered transaction reads (the widget's period, `transaction.postDate.bt(…)`)
-- and their `size` count: a range scan of the matching days instead of every row the
-- owner has (measured at ~30 ms a page for a user with 100k transactions without it).
CREATE INDEX IF NOT EXISTS transactions_user_post_date ON transactions (user_id, post_date);
CREATE INDEX IF NOT EXISTS transactions_conn_post_date ON transactions (connection_id, post_date);
