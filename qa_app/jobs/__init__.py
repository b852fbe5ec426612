"""Background jobs for long work (imports): run by an RQ worker when REDIS_URL is set, in a
thread of the web process otherwise, synchronously in tests. Progress is stored in the database
so that any web worker can report it."""
