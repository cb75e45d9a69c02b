-- Servers cache the tokens they have looked up. Any change to a stored token (a
-- revocation by `duban token revoke`, or by hand) notifies them on `duban_tokens`, at
-- commit, so that a revoked token is refused from the next request on.
CREATE FUNCTION duban_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('duban_tokens', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_tokens_changed
    AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION duban_tokens_changed();
