-- 012: the Cloud Storage resumable upload session of a backup being taken, so
-- an upload cut by an agent restart goes on from what the service kept
-- instead of from zero. Cleared when the backup is done or failed.
ALTER TABLE backups ADD COLUMN upload_session VARCHAR(2048) NULL AFTER object_name;
