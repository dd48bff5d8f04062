-- 011: "sleep first": the owner may have a running server put to sleep before
-- its backup is taken, for a consistent copy (the game saves its world on stop).
ALTER TABLE backups ADD COLUMN sleep_first TINYINT(1) NOT NULL DEFAULT 0 AFTER taken_while_running;
