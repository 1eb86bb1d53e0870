"""Users, teams, passwords and bearer tokens: who can log in, in which roles and team."""
