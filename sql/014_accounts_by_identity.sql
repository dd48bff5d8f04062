-- 014: an account is its sign-in identity, (provider, subject), compared byte
-- for byte. The e-mail's old unique key used utf8mb4_unicode_ci, which takes
-- "bob@exämple.com" for "bob@example.com": a look-alike address signed in as
-- another account. The e-mail stays, compared exactly, for display and admins.
ALTER TABLE users
  MODIFY email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  MODIFY provider_subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  DROP INDEX uq_users_email,
  ADD UNIQUE KEY uq_users_identity (provider, provider_subject),
  ADD KEY ix_users_email (email);
