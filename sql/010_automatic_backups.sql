-- 010: automatic backups, per server: when it goes to sleep (at most once per
-- backup.on-sleep-min-hours) and once a day at a chosen hour (UTC; NULL: off).
-- Both run as BACKUP jobs and, at the server's limit, first remove its oldest
-- unlocked backup (a manual one at the limit is refused instead).
ALTER TABLE servers
  ADD COLUMN backup_on_sleep TINYINT(1) NOT NULL DEFAULT 0 AFTER wake_blocked,
  ADD COLUMN backup_daily_hour TINYINT NULL AFTER backup_on_sleep,
  ADD CONSTRAINT ck_servers_backup_daily_hour CHECK (backup_daily_hour BETWEEN 0 AND 23);
