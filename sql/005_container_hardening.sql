-- 005: what each game's container may do beyond the bare minimum. Every
-- capability is dropped; `cap_add` (comma-separated names, e.g. "CHOWN,SETUID")
-- gives back what the game's image needs (its entrypoint chowns the data folder
-- and drops to a user, say). `pids_limit` bounds processes and threads (a fork
-- bomb stops there); `nofile_limit` bounds open files. Without capabilities a
-- container cannot raise its limit above the engine's own (containerd's hard
-- limit: 1048576 under Debian's docker.service, 20000 on some build hosts), so
-- the default stays well below both.
ALTER TABLE game_images
  ADD COLUMN cap_add VARCHAR(255) CHARACTER SET ascii NOT NULL DEFAULT '' AFTER minecraft_aware,
  ADD COLUMN pids_limit INT NOT NULL DEFAULT 512 AFTER cap_add,
  ADD COLUMN nofile_limit INT NOT NULL DEFAULT 16384 AFTER pids_limit,
  ADD CONSTRAINT ck_game_images_pids CHECK (pids_limit BETWEEN 16 AND 100000),
  ADD CONSTRAINT ck_game_images_nofile CHECK (nofile_limit BETWEEN 64 AND 1048576);

-- The images of the catalog start as root, fix the ownership of their data and
-- drop to their own user: they need those capabilities back. The Demo Game needs none.
UPDATE game_images SET cap_add = 'CHOWN,DAC_OVERRIDE,FOWNER,SETGID,SETUID'
  WHERE slug IN ('minecraft-java', 'valheim', 'satisfactory');
