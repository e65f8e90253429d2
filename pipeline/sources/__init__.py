"""Source adapters: each has a ``fetch`` (all the I/O) and a pure ``parse`` (raw record -> posting or reject)."""
