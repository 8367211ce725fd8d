"""Fakes shared by the tests and the benchmarks: local servers that speak Slack's Web
API, the Bot Framework connector protocol, SMTP and the OpenAI API on 127.0.0.1, a tcp
proxy that can cut a connection, where the public CRM sample lives, and synthetic data
at any size. Nothing here is imported by the application."""
