"""Tables, engine and migrations of the service's database (SQLite or PostgreSQL)."""
