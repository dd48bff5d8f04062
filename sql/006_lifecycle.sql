-- 006: what the lifecycle helper (gsp-lifecycle) decides with. A running server
-- is paid one hour ahead: `paid_until` is the end of its paid time (a server
-- that sleeps mid-hour keeps the rest). `running_since` (001) is set each time
-- it becomes RUNNING. `keep_awake_until` is the owner's "keep awake" push-back
-- of the idle sleep. `low_credit_since` marks a user warned that the balance
-- covers less than a few hours of their running servers (cleared when it does again).
ALTER TABLE servers
  ADD COLUMN paid_until DATETIME(6) NULL AFTER running_since,
  ADD COLUMN keep_awake_until DATETIME(6) NULL AFTER paid_until,
  ADD KEY ix_servers_state_paid (state, paid_until);
ALTER TABLE users
  ADD COLUMN low_credit_since DATETIME(6) NULL AFTER credits_cents;
