"""The per-socket work of a join measured in-process, on CPU time: the sign-in token's check
(a token seen for the first time, and the same token again as a page load's socket brings
it) and the CSRF token each socket's vote form carries."""
