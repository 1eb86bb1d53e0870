"""E-mail: the outbox (written in the command's transaction) and the SMTP sender."""
