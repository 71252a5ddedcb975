-- The sweep of spent refresh tokens (UsersRepo.pruneRefresh) reads the expired rows only.
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
