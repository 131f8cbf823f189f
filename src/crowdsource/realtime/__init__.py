"""Live updates: the broker between processes, rooms of sockets, and rendering once per tick."""
