"""Live updates. `broker/` carries "poll X changed" between processes; `publisher` re-reads
a changed poll once per round (natural batching) and renders once per audience
(`fragments` name the templates, `full_state` and `presence` the per-socket and "N watching"
parts); `hub` hands the bytes to groups of local sockets, each with its own bounded outbox."""
