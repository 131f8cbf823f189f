"""Identity: the JWT cookie, the request/WebSocket user, CSRF tokens, OAuth providers."""
