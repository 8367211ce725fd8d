"""The email transport: outbox messages to champions, over SMTP."""
